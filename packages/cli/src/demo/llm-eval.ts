import {
  DAY,
  HOUR,
  MINUTE,
  series,
  sourceTags,
  type ExperimentPlan,
  type RunPlan,
} from './demo-run.ts'
import { sig, type Rng } from './random.ts'
import { htmlReport, toYaml } from './text-files.ts'

/** Name of the llm-eval run with the evaluation table and text artifacts. */
export const LLM_SHOWCASE = 'gpt-4o-mini-cot'

const MODELS = [
  { name: 'gpt-4o-mini', skill: 0.86, speed: 95, cost: 0.15 },
  { name: 'llama-3.1-8b-instruct', skill: 0.76, speed: 140, cost: 0.02 },
  { name: 'mistral-7b-instruct-v0.3', skill: 0.58, speed: 150, cost: 0.02 },
  { name: 'qwen2.5-7b-instruct', skill: 0.83, speed: 135, cost: 0.02 },
  { name: 'claude-3-haiku', skill: 0.8, speed: 110, cost: 0.25 },
  { name: 'gemma-2-9b-it', skill: 0.7, speed: 120, cost: 0.03 },
]
const TEMPLATES = { direct: 0.85, 'few-shot': 0.93, cot: 1 } as const
type Template = keyof typeof TEMPLATES

const GSM = {
  name: 'gsm8k-test-500',
  digest: '5b7e03c2',
  source_type: 'huggingface',
  source: JSON.stringify({
    path: 'openai/gsm8k',
    config_name: 'main',
    split: 'test[:500]',
    revision: 'e53f048',
  }),
  schema: JSON.stringify({
    mlflow_colspec: [
      { type: 'string', name: 'question', required: true },
      { type: 'string', name: 'answer', required: true },
    ],
  }),
  profile: JSON.stringify({ num_rows: 500, num_elements: 1000 }),
}

const PROMPTS: Record<Template, string> = {
  direct: 'Answer the math question with a single number.\n\nQuestion: {question}\nAnswer:',
  'few-shot':
    'Answer with a single number.\n\nQ: Tom has 3 apples and buys 2 more. How many apples?\nA: 5\n\nQ: {question}\nA:',
  cot: 'Solve the problem step by step, then give the final answer after "####".\n\nQuestion: {question}\n',
}

/** A question with its answer, e.g. "Mia bakes 12 cookies a day for 5 days...". */
function question(rng: Rng): { question: string; answer: number } {
  const a = rng.int(3, 40)
  const b = rng.int(2, 12)
  const c = rng.int(1, a * b - 1)
  const who = rng.pick(['Mia', 'Noah', 'Liam', 'Zoe', 'Ava', 'Omar'])
  const thing = rng.pick(['cookies', 'stickers', 'marbles', 'pages', 'tickets'])
  return {
    question: `${who} gets ${a} ${thing} a day for ${b} days and gives away ${c}. How many ${thing} are left?`,
    answer: a * b - c,
  }
}

function evalArtifacts(
  rng: Rng,
  template: Template,
  model: string,
  accuracy: number,
  start: number,
): NonNullable<RunPlan['artifacts']> {
  const rows = Array.from({ length: 25 }, () => {
    const q = question(rng)
    const correct = rng.chance(accuracy)
    const output = correct ? q.answer : q.answer + rng.pick([-10, -2, -1, 1, 3, 12])
    return { ...q, output, correct, latency_ms: Math.round(rng.uniform(300, 1800)) }
  })
  const table = {
    columns: ['question', 'answer', 'output', 'exact_match', 'latency_ms'],
    data: rows.map((r) => [
      r.question,
      String(r.answer),
      `... #### ${r.output}`,
      r.correct ? 1 : 0,
      r.latency_ms,
    ]),
  }
  const log = rows.map(
    (r, i) =>
      `${new Date(start + i * 2100).toISOString()} INFO eval.py: sample ${i + 1}/500 ${r.correct ? 'correct' : 'WRONG'} (${r.latency_ms} ms)`,
  )
  return [
    { path: 'eval_results_table.json', data: () => JSON.stringify(table) },
    {
      path: 'predictions.jsonl',
      data: () =>
        rows
          .map((r) =>
            JSON.stringify({ question: r.question, target: r.answer, prediction: r.output }),
          )
          .join('\n') + '\n',
    },
    { path: 'prompts/template.txt', data: () => PROMPTS[template] },
    {
      path: 'eval_config.yaml',
      data: () =>
        toYaml({
          model,
          prompt_template: template,
          generation: { temperature: 0, max_tokens: 512, stop: ['\n\n\n'] },
          judge: { model: 'gpt-4o', criteria: ['faithfulness', 'toxicity'] },
          dataset: GSM.name,
        }),
    },
    {
      path: 'samples.md',
      data: () =>
        `# Sample outputs (${model}, ${template})\n\n` +
        rows
          .slice(0, 5)
          .map((r) => `**Q:** ${r.question}\n\n**A:** ${r.output} ${r.correct ? '✅' : '❌'}\n`)
          .join('\n'),
    },
    { path: 'logs/eval.log', data: () => log.join('\n') + '\n' },
    {
      path: 'report.html',
      data: () =>
        htmlReport(`GSM8K evaluation: ${model}`, `Prompt template "${template}", 500 questions.`, [
          {
            heading: 'Scores',
            rows: [
              ['exact match', sig(accuracy, 3)],
              ['samples shown', rows.length],
            ],
          },
        ]),
    },
  ]
}

function evalRun(
  rng: Rng,
  model: (typeof MODELS)[number],
  template: Template,
  temperature: number,
  start: number,
  commit: string,
): RunPlan {
  const accuracy = Math.min(
    0.97,
    model.skill * TEMPLATES[template] * (1 - temperature * 0.08) + rng.normal(0, 0.012),
  )
  const tokens = template === 'cot' ? 240 : 12
  const tps = model.speed * rng.uniform(0.9, 1.1)
  const p50 = Math.round(180 + (tokens / tps) * 1000)
  const duration = Math.round((500 * (p50 / 1000) * 1000) / 8) + 2 * MINUTE
  const end = start + duration
  const metrics: RunPlan['metrics'] = []
  // Running accuracy over batches of 50 questions: noisy early, settling on the final value.
  const steps = Array.from({ length: 10 }, (_, i) => (i + 1) * 50)
  series(
    metrics,
    'running_exact_match',
    steps.map((n) =>
      sig(Math.min(1, Math.max(0, accuracy + rng.normal(0, 0.35 / Math.sqrt(n)))), 4),
    ),
    start,
    end,
    steps,
  )
  const finals: [string, number][] = [
    ['exact_match', sig(accuracy, 4)],
    ['rouge_l', sig(0.3 + accuracy * 0.45 + rng.normal(0, 0.01), 4)],
    ['faithfulness', sig(Math.min(5, 2.5 + accuracy * 2.6 + rng.normal(0, 0.08)), 3)],
    ['toxicity_rate', sig(Math.max(0, rng.normal(0.004, 0.002)), 3)],
    ['latency_p50_ms', p50],
    ['latency_p95_ms', Math.round(p50 * rng.uniform(1.8, 2.6))],
    ['tokens_per_second', sig(tps, 4)],
    ['cost_usd', sig((500 * (tokens + 180) * model.cost) / 1e6, 3)],
  ]
  for (const [key, value] of finals) metrics.push({ key, value, step: 0, timestamp: end })
  const name = `${model.name}-${template}${temperature > 0 ? `-t${temperature}` : ''}`
  return {
    name,
    user: 'katherine',
    startTime: start,
    endTime: end,
    status: 'FINISHED',
    params: {
      model: model.name,
      prompt_template: template,
      temperature,
      top_p: temperature > 0 ? 0.95 : 1,
      max_tokens: template === 'cot' ? 512 : 32,
      judge_model: 'gpt-4o',
      num_samples: 500,
    },
    tags: {
      ...sourceTags(rng, 'eval.py', 'katherine', commit),
      task: 'math-reasoning',
      'mlflow.loggedArtifacts': '[{"path": "eval_results_table.json", "type": "table"}]',
    },
    metrics,
    datasets: [{ dataset: GSM, context: 'evaluation' }],
  }
}

/** "llm-eval": prompt templates x models on a GSM8K slice, with tables and text artifacts. */
export function planLlmEval(rng: Rng, scale: 'small' | 'full', now: number): ExperimentPlan {
  const commit = rng.hex(40)
  const showcase = evalRun(
    rng.fork(1),
    MODELS[0] as (typeof MODELS)[number],
    'cot',
    0,
    now - 6 * HOUR,
    commit,
  )
  const accuracy = showcase.metrics.find((m) => m.key === 'exact_match')?.value ?? 0.8
  showcase.artifacts = evalArtifacts(
    rng.fork(2),
    'cot',
    MODELS[0]?.name ?? '',
    accuracy,
    showcase.startTime,
  )
  showcase.tags['mlflow.note.content'] =
    'Chain-of-thought lifts **exact match** by ~12 points over the direct prompt; latency grows ~8x.'
  const runs = [showcase]
  const combos: [number, Template, number][] =
    scale === 'full'
      ? MODELS.flatMap((_, m) =>
          (Object.keys(TEMPLATES) as Template[]).flatMap((t) =>
            [0, 0.7].map((temp) => [m, t, temp] as [number, Template, number]),
          ),
        )
      : [[1, 'few-shot', 0]]
  combos.forEach(([m, template, temperature], i) => {
    const model = MODELS[m] as (typeof MODELS)[number]
    if (model.name === showcase.params.model && template === 'cot' && temperature === 0) return
    const run = evalRun(
      rng.fork(10 + i),
      model,
      template,
      temperature,
      now - (scale === 'full' ? 4 * DAY : DAY) + i * 40 * MINUTE,
      commit,
    )
    if (scale === 'full' && i === 9) {
      run.status = 'FAILED'
      run.metrics = run.metrics.filter((x) => x.key === 'running_exact_match' && x.step <= 150)
      run.tags['mlflow.note.content'] =
        'Aborted: `429 Too Many Requests` from the provider after 150 questions.'
    }
    runs.push(run)
  })
  return {
    name: 'llm-eval',
    tags: {
      'mlflow.note.content':
        'Math reasoning (GSM8K, 500 questions) across **models and prompt templates**. Judge: gpt-4o.',
      team: 'nlp',
      project: 'assistant',
    },
    runs,
    sweeps: [],
  }
}
