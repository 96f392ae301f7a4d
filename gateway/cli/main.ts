import { Command, CommanderError } from 'commander';
import { isTongbanError } from '../errors';
import { registerCityAdd } from './city-add';
import { registerConfigDoctor } from './config-doctor';
import { registerConfigValidate } from './config-validate';
import { registerKeys } from './keys';
import { registerLedger } from './ledger';
import { progress } from './output';
import { registerSandbox } from './sandbox';
import { registerServe } from './serve';
import { registerSimulatePlatform } from './simulate-platform';
import { registerToken } from './token';

export function buildProgram(): Command {
  const program = new Command('tongban')
    .description('Tongban (通办): cross-city interoperability gateway for public credit repair')
    .showHelpAfterError();
  registerServe(program);
  registerSandbox(program);
  const config = program.command('config').description('city configs');
  registerConfigValidate(config);
  registerConfigDoctor(config);
  registerCityAdd(program);
  registerKeys(program);
  registerToken(program);
  registerLedger(program);
  registerSimulatePlatform(program);
  return program;
}

/** Entry point of bin/tongban.js. Errors print one clear line, never a stack trace. */
export function main(argv: string[]): void {
  buildProgram()
    .exitOverride()
    .parseAsync(argv)
    .catch((e: unknown) => {
      if (e instanceof CommanderError) {
        process.exitCode = e.exitCode;
        return;
      }
      progress(`tongban: ${isTongbanError(e) ? e.message : (e as Error).message}`);
      process.exitCode = 1;
    });
}
