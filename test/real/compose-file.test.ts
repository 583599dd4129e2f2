// docker-compose.test.yml cannot run here (no Docker engine), so its shape is checked instead:
// valid YAML, the services the real suite needs, pinned images, health checks, and the ports and
// addresses the suite's defaults (test/real/env.ts) expect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseClusterUrl } from '../../src/cli/flags.js';
import { REAL_DEFAULTS } from './env.js';

interface Service {
  image?: string;
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  networks?: Record<string, { ipv4_address?: string } | null>;
}

const text = readFileSync(join(import.meta.dirname, '..', '..', 'docker-compose.test.yml'), 'utf8');
const compose = parse(text) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => services[name] ?? expect.fail(`no service ${name}`);
const ip = (s: Service) => Object.values(s.networks ?? {})[0]?.ipv4_address;
const published = (s: Service, containerPort: number) => (s.ports ?? []).map((p) => p.split(':')).filter((p) => p[1] === String(containerPort)).map((p) => Number(p[0]));

describe('docker-compose.test.yml', () => {
  it('is valid YAML with the source and target Doris (FE and BE), MinIO and Azurite', () => {
    expect(Object.keys(services).sort()).toEqual(['azurite', 'minio', 'source-be', 'source-fe', 'target-be', 'target-fe']);
  });

  it('pins every image to a release tag, a current 2.1 source and 3.0 target with matching FE and BE', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
    const version = (name: string) => /^apache\/doris:(fe|be)-(\d+\.\d+\.\d+)$/.exec(service(name).image ?? '')?.[2];
    expect(version('source-fe')).toMatch(/^2\.1\.\d+$/);
    expect(version('target-fe')).toMatch(/^3\.0\.\d+$/);
    expect(version('source-be')).toBe(version('source-fe'));
    expect(version('target-be')).toBe(version('target-fe'));
  });

  it('gives every service a health check, and starts each BE after its FE is healthy', () => {
    for (const [name, s] of Object.entries(services)) expect(s.healthcheck?.test?.length, name).toBeGreaterThan(0);
    expect(service('source-be').depends_on?.['source-fe']?.condition).toBe('service_healthy');
    expect(service('target-be').depends_on?.['target-fe']?.condition).toBe('service_healthy');
  });

  it('wires each BE to its own FE by the addresses on the compose network', () => {
    for (const side of ['source', 'target']) {
      const fe = service(`${side}-fe`);
      const be = service(`${side}-be`);
      expect(fe.environment?.FE_SERVERS, side).toBe(`fe1:${ip(fe)}:9010`);
      expect(be.environment?.FE_SERVERS, side).toBe(`fe1:${ip(fe)}:9010`);
      expect(be.environment?.BE_ADDR, side).toBe(`${ip(be)}:9050`);
    }
  });

  it('publishes what the real suite connects to by default', () => {
    expect(published(service('source-fe'), 9030)).toContain(parseClusterUrl(REAL_DEFAULTS.source, 'source').port);
    expect(published(service('target-fe'), 9030)).toContain(parseClusterUrl(REAL_DEFAULTS.target, 'target').port);
    // The backends and the suite reach MinIO at one address: its fixed IP on the compose network.
    const minio = new URL(REAL_DEFAULTS.s3Endpoint);
    expect(ip(service('minio'))).toBe(minio.hostname);
    expect(minio.port).toBe('9000');
    expect(service('minio').environment).toMatchObject({ MINIO_ROOT_USER: REAL_DEFAULTS.accessKey, MINIO_ROOT_PASSWORD: REAL_DEFAULTS.secretKey });
    expect(published(service('azurite'), 10000)).toContain(10000);
  });
});
