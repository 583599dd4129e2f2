// The sandbox's public surface: simulators and the local stack, for tests, `sandbox` and `demo`.
export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { parseSimVersion, versionComment } from './version.js';
