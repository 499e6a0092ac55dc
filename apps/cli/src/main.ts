/**
 * `mixflow`: mlpack-style commands over the same libraries as the server. `run(argv, io)` is the whole CLI and
 * returns the exit code (0 ok, 2 bad arguments or input, 1 anything else), so tests run it in-process.
 */
import { Command, CommanderError } from 'commander';
import { inFlags } from '@mixflow/component-sdk';
import { components } from './components';
import { CliUsageError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exitCodeFor, oneLine, processIo, type CliIo } from './io';
import { gmmTrainCommand } from './commands/gmm-train';
import { gmmSelectCommand } from './commands/gmm-select';
import { gmmPredictCommand } from './commands/gmm-predict';
import { gmmProbabilityCommand } from './commands/gmm-probability';
import { gmmGenerateCommand } from './commands/gmm-generate';
import { estimateCommand } from './commands/estimate';
import { workerCommand } from './commands/worker';

export { type CliIo } from './io';

export function buildProgram(io: CliIo, done: (code: number) => void): Command {
  const program = new Command('mixflow')
    .description('Gaussian mixture models from the command line: train, select k and covariance type, predict, score, generate, estimate resources, run a worker.')
    .version(require('../package.json').version as string)
    .option('-q, --quiet', 'no progress bars and no notes on stderr, only warnings and errors')
    .option('--verbose', 'progress (a line a second) even when stderr is not a terminal, and every log line of the run');
  for (const make of [gmmTrainCommand, gmmSelectCommand, gmmPredictCommand, gmmProbabilityCommand, gmmGenerateCommand, estimateCommand, workerCommand]) {
    program.addCommand(make(io, done));
  }
  const route = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s),
    });
    command.commands.forEach(route);
  };
  route(program);
  return program;
}

export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number | undefined;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code ?? EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are "errors" that exit 0; every parse problem is a usage error
      if (error.exitCode === 0) return EXIT_OK;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT_FAILURE;
      return EXIT_USAGE;
    }
    const status = exitCodeFor(error);
    const command = argv.find((a) => !a.startsWith('-')) ?? 'mixflow';
    const message = inCommandsWords(command, error instanceof Error ? error.message : String(error));
    io.stderr.write(`mixflow ${command}: ${oneLine(message)}\n`);
    if (status === EXIT_FAILURE && io.env.MIXFLOW_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return status;
  }
}

/** The component each command runs; its messages name parameters by the command's flags. */
const COMMAND_COMPONENTS: Record<string, string> = {
  'gmm-train': 'gmm-train',
  'gmm-select': 'gmm-model-selection',
  'gmm-predict': 'gmm-predict',
  'gmm-probability': 'gmm-predict',
  'gmm-generate': 'gmm-train',
  estimate: 'gmm-train',
};

/** A message from a component, the engine or the executor with the console's labels turned into this command's flags. */
function inCommandsWords(command: string, message: string): string {
  const id = COMMAND_COMPONENTS[command];
  return id && components().has(id) ? inFlags(message, components().get(id).description) : message;
}

/** The bin's entry: the real process, its exit code. */
export function main(): void {
  run(process.argv.slice(2)).then(
    (code) => {
      // a finished command (the worker finishes when stopped) does not wait for stray handles
      process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`mixflow: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(EXIT_FAILURE);
    },
  );
}

export { CliUsageError };
