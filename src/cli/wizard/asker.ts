// The questions `plan` may ask, behind a small interface (@inquirer/prompts by default) so the
// flow can be read without the prompt library and driven by a test.

export type Validate = (v: string) => true | string;

export interface Asker {
  input(message: string, validate?: Validate, initial?: string): Promise<string>;
  /** Hidden input (masked with '*'). */
  password(message: string): Promise<string>;
  checkbox(message: string, choices: { name: string; value: string; checked: boolean }[]): Promise<string[]>;
  select<T extends string>(message: string, choices: { name: string; value: T }[], initial?: T): Promise<T>;
  confirm(message: string, initial?: boolean): Promise<boolean>;
}

export async function inquirerAsker(): Promise<Asker> {
  const p = await import('@inquirer/prompts');
  return {
    input: (message, validate, initial) => p.input({ message, ...(validate ? { validate } : {}), ...(initial !== undefined ? { default: initial } : {}) }),
    password: (message) => p.password({ message, mask: '*' }),
    checkbox: (message, choices) => p.checkbox({ message, choices, required: true, pageSize: 15 }),
    select: (message, choices, initial) => p.select({ message, choices, ...(initial !== undefined ? { default: initial } : {}) }),
    confirm: (message, initial = true) => p.confirm({ message, default: initial }),
  };
}

/** A validator from a parser that throws one-line errors. */
export const validBy =
  (parse: (v: string) => unknown): Validate =>
  (v) => {
    try {
      parse(v);
      return true;
    } catch (e) {
      return (e as Error).message;
    }
  };
