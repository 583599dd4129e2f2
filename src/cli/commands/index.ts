// Every command registers itself here. Each command module lazy-loads its heavy dependencies
// inside its action so `review` and `--help` never load the SDKs or mysql2.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { registerApply } from './apply.js';
import { registerCancel } from './cancel.js';
import { registerCatchUp } from './catch-up.js';
import { registerDemo } from './demo.js';
import { registerList } from './list.js';
import { registerPlan } from './plan.js';
import { registerStatus } from './status.js';
import { registerReview } from './review.js';
import { registerSandbox } from './sandbox.js';
import { registerVerify } from './verify.js';

export type CommandRunner = (exitCode: Promise<number>) => void;

/** Registers commands on `program`; each action reports its exit code through `done`. */
export type CommandRegistrar = (program: Command, io: CliIO, done: CommandRunner) => void;

export const registrars: CommandRegistrar[] = [registerPlan, registerReview, registerApply, registerStatus, registerVerify, registerCatchUp, registerCancel, registerList, registerSandbox, registerDemo];
