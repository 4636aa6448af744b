#!/usr/bin/env node
// gradscope.js — the `gradscope` command: headless runs, sweeps, lesson
// checks and mean-field numbers on the same JS API the playground uses
// (web/gradscope.js). This file only dispatches; each command lives in
// bin/cli/<command>.js and exports { HELP, run(argv) → exit code }.
//
// Exit codes (also in every --help): 0 ok, 1 failure, 2 usage error,
// 3 training diverged.

import { EXIT, EXIT_CODES_HELP, UsageError } from './cli/args.js';

const COMMANDS = {
  train: { load: () => import('./cli/train.js'), summary: 'train one playground configuration and print per-layer gradient statistics' },
  sweep: { load: () => import('./cli/sweep.js'), summary: 'run a grid of configurations × seeds in worker threads; summary table per cell' },
  lessons: { load: () => import('./cli/lessons.js'), summary: 'list the lessons; --check runs each and compares measured with expected' },
  theory: { load: () => import('./cli/theory.js'), summary: 'mean-field numbers: q*, χ₁, depth scale ξ, critical σ_w²' },
};

const TOP_HELP = `Usage: gradscope <command> [flags]

See vanishing and exploding gradients from the command line, with the same
C/WebAssembly core and the same settings (flags named after the playground's
URL keys) as the browser playground.

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`).join('\n')}

Run gradscope <command> --help for its flags.

Examples:
  gradscope train --depth 10 --steps 100 --every 50
  gradscope sweep --depth 5,10,20,40 --init xavier_normal,he_normal --activation sigmoid,tanh,relu --seeds 5
  gradscope theory --activation tanh --sw2 1.5 --sb2 0.05

${EXIT_CODES_HELP}
`;

// `gradscope … | head` closes stdout early: stop quietly instead of throwing EPIPE.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK); else throw e; });

async function main(argv) {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(TOP_HELP);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : null;
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name.slice(0, 40))}; commands: ${Object.keys(COMMANDS).join(', ')}`);
  const module = await command.load();
  return module.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`gradscope: ${e.message}\n(run gradscope ${process.argv[2] && Object.hasOwn(COMMANDS, process.argv[2]) ? process.argv[2] + ' ' : ''}--help for the allowed flags and values)\n`);
    process.exitCode = EXIT.USAGE;
  } else {
    // The core's errors name the field and its range; the stack only helps when debugging the CLI.
    process.stderr.write(`gradscope: ${process.env.GRADSCOPE_DEBUG ? e?.stack ?? e : e?.message ?? e}\n`);
    process.exitCode = EXIT.FAILURE;
  }
}
