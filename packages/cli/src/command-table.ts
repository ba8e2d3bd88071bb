/**
 * The declarative table of `logbook` commands: `logbook --help`, every `--help` of the commands
 * below, their option parsing and the shell completion scripts are all generated from it.
 */
import { TRACKING_URI, VIEW_OPTION, outputOption } from './command-spec.ts'
import type { CommandSpec, OptionSpec } from './command-spec.ts'

const EXPERIMENT_ID: OptionSpec = { name: 'experiment-id', short: 'x', type: 'string', value: '<id>', required: true, description: 'Experiment id' }
const RUN_ID: OptionSpec = { name: 'run-id', short: 'r', type: 'string', value: '<id>', required: true, description: 'Run id' }
const BACKEND_STORE: OptionSpec = {
  name: 'backend-store-uri',
  type: 'string',
  value: '<uri>',
  path: true,
  description: 'sqlite:///path/to.db or postgresql://user@host/db (default sqlite:///./logbook-data/logbook.db)',
}
const ARTIFACTS_DESTINATION: OptionSpec = { name: 'artifacts-destination', type: 'string', value: '<uri>', path: true, description: 'Artifact folder, file:///path or s3://bucket/prefix' }

const RUN_QUERY: OptionSpec[] = [
  { name: 'experiment-id', short: 'x', type: 'string', value: '<id>', multiple: true, description: 'Experiment id (repeatable, or comma-separated)' },
  { name: 'experiment-name', short: 'n', type: 'string', value: '<name>', multiple: true, description: 'Experiment name (repeatable)' },
  { name: 'filter', short: 'f', type: 'string', value: '<expr>', description: "MLflow search filter; AND, OR and parentheses, e.g. \"metrics.acc > 0.9 OR params.opt = 'adam'\"" },
  { name: 'order-by', type: 'string', value: '<term>', multiple: true, description: "Sort term, e.g. 'metrics.loss ASC' (repeatable)" },
  { name: 'max-results', type: 'string', value: '<n>', default: '1000', description: 'Most runs to return; above 1000 pages are fetched in turn (default 1000)' },
  VIEW_OPTION,
  { name: 'columns', short: 'c', type: 'string', value: '<list>', multiple: true, description: 'Extra columns: params.<key>, metrics.<key>, tags.<key>, comma-separated' },
  outputOption(),
  TRACKING_URI,
]

const RUN_QUERY_EXAMPLES = [
  `--experiment-name mnist --filter "metrics.acc > 0.9 OR params.opt = 'adam'" --columns params.lr,metrics.acc`,
  '--experiment-id 1 --order-by "metrics.loss ASC" --max-results 5000 --output csv > runs.csv',
]

const SERVER: CommandSpec = {
  name: 'server',
  aliases: ['ui'],
  summary: 'Start the tracking server (alias: ui)',
  options: [
    { name: 'host', type: 'string', value: '<host>', description: 'Interface to bind (default 127.0.0.1)' },
    { name: 'port', type: 'string', value: '<port>', description: 'Port (default 5000)' },
    BACKEND_STORE,
    ARTIFACTS_DESTINATION,
    { name: 'default-artifact-root', type: 'string', value: '<uri>', description: "Root for new experiments' artifact locations" },
    { name: 'workers', type: 'string', value: '<n>', description: 'Server processes' },
    { name: 'auth', type: 'boolean', description: 'Require users and permissions' },
    { name: 'admin-username', type: 'string', value: '<name>', description: 'Bootstrap admin' },
    { name: 'admin-password', type: 'string', value: '<password>', description: "Bootstrap admin's password" },
    { name: 'default-permission', type: 'string', value: '<level>', choices: ['READ', 'USE', 'EDIT', 'MANAGE', 'NO_PERMISSIONS'], description: 'Permission where no grant exists' },
    { name: 'allowed-hosts', type: 'string', value: '<list>', description: 'Host headers accepted' },
    { name: 'cors-origins', type: 'string', value: '<list>', description: 'Origins allowed cross-site' },
  ],
  examples: [],
}

const GC: CommandSpec = {
  name: 'gc',
  summary: 'Permanently delete deleted runs, experiments and models with their artifacts',
  options: [
    BACKEND_STORE,
    ARTIFACTS_DESTINATION,
    { name: 'older-than', type: 'string', value: '<age>', description: 'Only what was deleted longer ago than this' },
    { name: 'run-ids', type: 'string', value: '<ids>', description: 'Only these runs' },
    { name: 'experiment-ids', type: 'string', value: '<ids>', description: 'Only these experiments' },
  ],
  examples: [],
}

export const EXPERIMENTS: CommandSpec = {
  name: 'experiments',
  summary: 'List, create, rename, delete and restore experiments',
  subcommands: [
    {
      name: 'list',
      summary: 'List experiments',
      options: [VIEW_OPTION, { name: 'filter', short: 'f', type: 'string', value: '<expr>', description: "Filter, e.g. \"name LIKE 'mnist%'\"" }, outputOption(), TRACKING_URI],
      examples: ['logbook experiments list', "logbook experiments list --view all --filter \"name LIKE 'mnist%'\" --output json"],
    },
    {
      name: 'create',
      summary: 'Create an experiment and print its id',
      options: [
        { name: 'experiment-name', short: 'n', type: 'string', value: '<name>', required: true, description: 'Name of the new experiment' },
        { name: 'artifact-location', short: 'l', type: 'string', value: '<uri>', description: 'Artifact root (default: the server decides)' },
        TRACKING_URI,
      ],
      examples: ['logbook experiments create --experiment-name mnist'],
    },
    {
      name: 'rename',
      summary: 'Rename an experiment',
      options: [EXPERIMENT_ID, { name: 'new-name', type: 'string', value: '<name>', required: true, description: 'New name' }, TRACKING_URI],
      examples: ['logbook experiments rename --experiment-id 1 --new-name mnist-v2'],
    },
    { name: 'delete', summary: 'Delete an experiment and its runs (restorable until gc)', options: [EXPERIMENT_ID, TRACKING_URI], examples: ['logbook experiments delete --experiment-id 1'] },
    { name: 'restore', summary: 'Restore a deleted experiment and its runs', options: [EXPERIMENT_ID, TRACKING_URI], examples: ['logbook experiments restore --experiment-id 1'] },
  ],
}

export const RUNS: CommandSpec = {
  name: 'runs',
  summary: 'Search, describe, delete and restore runs',
  subcommands: [
    { name: 'list', summary: 'List the runs of experiments', options: RUN_QUERY, examples: ['logbook runs list --experiment-id 1', ...RUN_QUERY_EXAMPLES.map((e) => `logbook runs list ${e}`)] },
    { name: 'search', summary: 'Search runs with a filter (same options as list)', options: RUN_QUERY, examples: RUN_QUERY_EXAMPLES.map((e) => `logbook runs search ${e}`) },
    {
      name: 'describe',
      summary: "Print a run's info, params, latest metrics, tags and inputs",
      options: [RUN_ID, outputOption(['table', 'json']), TRACKING_URI],
      examples: ['logbook runs describe --run-id 0a1b2c...', 'logbook runs describe --run-id 0a1b2c... --output json'],
    },
    { name: 'delete', summary: 'Delete a run (restorable until gc)', options: [RUN_ID, TRACKING_URI], examples: ['logbook runs delete --run-id 0a1b2c...'] },
    { name: 'restore', summary: 'Restore a deleted run', options: [RUN_ID, TRACKING_URI], examples: ['logbook runs restore --run-id 0a1b2c...'] },
  ],
}

export const METRICS: CommandSpec = {
  name: 'metrics',
  summary: "Read a metric's full history",
  subcommands: [
    {
      name: 'history',
      summary: 'Print every point of a metric (step,timestamp,value), streaming page by page',
      options: [
        RUN_ID,
        { name: 'key', short: 'k', type: 'string', value: '<key>', required: true, description: 'Metric key' },
        outputOption(['csv', 'json'], 'csv'),
        { name: 'page-size', type: 'string', value: '<n>', default: '25000', description: 'Points per request (default 25000)' },
        TRACKING_URI,
      ],
      examples: ['logbook metrics history --run-id 0a1b2c... --key loss > loss.csv', 'logbook metrics history --run-id 0a1b2c... --key loss --output json'],
    },
  ],
}

export const ARTIFACTS: CommandSpec = {
  name: 'artifacts',
  summary: "List, download and upload a run's artifacts",
  subcommands: [
    {
      name: 'list',
      summary: 'List the artifacts of a run (one folder level)',
      options: [RUN_ID, { name: 'artifact-path', short: 'a', type: 'string', value: '<path>', description: 'Folder inside the run (default: its root)' }, outputOption(), TRACKING_URI],
      examples: ['logbook artifacts list --run-id 0a1b2c...', 'logbook artifacts list --run-id 0a1b2c... --artifact-path model --output json'],
    },
    {
      name: 'download',
      summary: 'Download a file or folder (default: all artifacts of the run); prints the local path',
      options: [
        RUN_ID,
        { name: 'artifact-path', short: 'a', type: 'string', value: '<path>', description: 'File or folder inside the run (default: everything)' },
        { name: 'dest', short: 'd', type: 'string', value: '<dir>', path: true, default: '.', description: 'Local folder to download into (default .)' },
        TRACKING_URI,
      ],
      examples: ['logbook artifacts download --run-id 0a1b2c... --dest ./out', 'logbook artifacts download --run-id 0a1b2c... --artifact-path model/model.pkl'],
    },
    {
      name: 'upload',
      summary: "Upload a file, or a folder's contents, to a run",
      description:
        "Upload a file, or a folder's contents, to a run. Files of at least\n" +
        '$MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE bytes (default 64 MiB) go up in parts of\n' +
        '$MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE bytes (default 16 MiB) through the multipart routes.',
      options: [
        RUN_ID,
        { name: 'src', short: 's', type: 'string', value: '<path>', path: true, required: true, description: 'Local file or folder' },
        { name: 'artifact-path', short: 'a', type: 'string', value: '<path>', description: 'Folder inside the run to upload into (default: its root)' },
        TRACKING_URI,
      ],
      examples: ['logbook artifacts upload --run-id 0a1b2c... --src ./plots --artifact-path plots', 'logbook artifacts upload --run-id 0a1b2c... --src model.pkl'],
    },
  ],
}

export const DB: CommandSpec = {
  name: 'db',
  summary: 'Database schema: apply migrations, show the version',
  subcommands: [
    { name: 'upgrade', summary: 'Apply pending schema migrations and report which ran', options: [BACKEND_STORE], examples: ['logbook db upgrade --backend-store-uri sqlite:///logbook-data/logbook.db', 'logbook db upgrade --backend-store-uri postgresql://logbook@db/logbook'] },
    { name: 'current', summary: "Print the database's schema version", options: [BACKEND_STORE], examples: ['logbook db current --backend-store-uri sqlite:///logbook-data/logbook.db'] },
  ],
}

export const COMPLETION: CommandSpec = {
  name: 'completion',
  summary: 'Print a shell completion script (bash, zsh or fish)',
  subcommands: [
    { name: 'bash', summary: 'Completion for bash', options: [], examples: ['source <(logbook completion bash)'] },
    { name: 'zsh', summary: 'Completion for zsh', options: [], examples: ['source <(logbook completion zsh)'] },
    { name: 'fish', summary: 'Completion for fish', options: [], examples: ['logbook completion fish > ~/.config/fish/completions/logbook.fish'] },
  ],
}

/** Every command described by the table, in the order `logbook --help` lists them. */
export const COMMAND_TABLE: CommandSpec[] = [SERVER, GC, EXPERIMENTS, RUNS, METRICS, ARTIFACTS, DB, COMPLETION]

/** The command list of `logbook --help`; `extra` names commands registered without a table entry. */
export function commandList(extra: Record<string, string> = {}): string {
  const rows: [string, string][] = COMMAND_TABLE.map((c) => [c.name, c.summary])
  for (const [name, summary] of Object.entries(extra)) rows.push([name, summary])
  const width = Math.max(...rows.map(([n]) => n.length)) + 4
  return rows.map(([n, s]) => `  ${n.padEnd(width)}${s}`).join('\n')
}
