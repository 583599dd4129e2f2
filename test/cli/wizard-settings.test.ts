// The wizard asks what each storage needs and nothing the flags already said: S3 provider,
// region, endpoint and addressing; the Azure endpoint; HDFS user, properties and WebHDFS.
import { describe, expect, it } from 'vitest';
import type { Asker } from '../../src/cli/wizard/asker.js';
import { askSettings } from '../../src/cli/wizard/repository.js';

/** Answers questions in order from a script and records what was asked (with its suggested answer). */
function scripted(answers: (string | boolean)[]): Asker & { asked: string[] } {
  const asked: string[] = [];
  const next = <T>(message: string, initial?: string | boolean): T => {
    asked.push(initial === undefined ? message : `${message} [${String(initial)}]`);
    if (!answers.length) throw new Error(`unexpected question: ${message}`);
    return answers.shift() as T;
  };
  return {
    asked,
    input: (message, validate, initial) => {
      // As @inquirer/input does: an empty answer takes the default, then is validated.
      const typed = next<string>(message, initial);
      const answer = typed === '' && initial !== undefined ? initial : typed;
      const ok = validate ? validate(answer) : true;
      if (ok !== true) return Promise.reject(new Error(`refused '${answer}': ${ok}`));
      return Promise.resolve(answer);
    },
    password: (message) => Promise.resolve(next<string>(message)),
    checkbox: (message) => Promise.resolve(next<string[]>(message)),
    select: <T extends string>(message: string, _choices: { name: string; value: T }[], initial?: T) => Promise.resolve(next<T>(message, initial)),
    confirm: (message, initial) => Promise.resolve(next<boolean>(message, initial)),
  };
}

describe('the wizard asks the settings of the storage', () => {
  it('S3: provider, region, endpoint from the preset pattern, path style', async () => {
    const ask = scripted(['oss', 'cn-shanghai', '', false]);
    expect(await askSettings('s3://bucket/prefix', {}, ask)).toEqual({ s3Provider: 'oss', s3Region: 'cn-shanghai', s3PathStyle: false });
    expect(ask.asked).toEqual(['S3 provider: [aws]', 'S3 region: [cn-hangzhou]', 'S3 endpoint URL: [https://oss-cn-shanghai.aliyuncs.com]', 'path-style addressing (http://endpoint/bucket/key)? [false]']);
  });

  it('S3: nothing the flags gave', async () => {
    const ask = scripted([]);
    expect(await askSettings('s3://bucket/prefix', { s3Endpoint: 'http://minio:9000', s3Region: 'us-east-1', s3PathStyle: true }, ask)).toEqual({ s3Endpoint: 'http://minio:9000', s3Region: 'us-east-1', s3PathStyle: true });
    expect(ask.asked).toEqual([]);
  });

  it('Azure: the endpoint, the public one suggested', async () => {
    const ask = scripted(['http://127.0.0.1:10000/devstoreaccount1']);
    expect(await askSettings('azure://devstoreaccount1/backups/mig', {}, ask)).toEqual({ azureEndpoint: 'http://127.0.0.1:10000/devstoreaccount1' });
    expect(ask.asked).toEqual(['Azure Blob endpoint URL: [https://devstoreaccount1.blob.core.windows.net]']);
  });

  it('HDFS: user, extra properties and WebHDFS, each optional', async () => {
    const ask = scripted(['doris', 'hadoop.security.authentication=kerberos dfs.nameservices=ns1', 'http://nn1:9870']);
    expect(await askSettings('hdfs://nn1:8020/doris/backups', {}, ask)).toEqual({
      hdfsUser: 'doris', hdfsProperties: { 'hadoop.security.authentication': 'kerberos', 'dfs.nameservices': 'ns1' }, webhdfs: 'http://nn1:9870',
    });
    expect(await askSettings('hdfs://nn1:8020/doris/backups', {}, scripted(['', '', '']))).toEqual({ hdfsProperties: {} });
  });

  it('without a terminal, asks nothing', async () => {
    expect(await askSettings('s3://bucket/prefix', { s3Provider: 'minio' }, undefined)).toEqual({ s3Provider: 'minio' });
  });
});
