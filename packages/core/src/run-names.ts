const ADJECTIVES = [
  'able', 'agile', 'amber', 'ample', 'bold', 'brave', 'bright', 'brisk', 'calm', 'clever', 'cool',
  'crisp', 'dapper', 'eager', 'fair', 'fleet', 'gentle', 'glad', 'grand', 'hearty', 'jolly', 'keen',
  'kind', 'lucky', 'merry', 'mellow', 'nimble', 'noble', 'placid', 'polite', 'proud', 'quick',
  'quiet', 'rare', 'rosy', 'sharp', 'shy', 'silent', 'sleek', 'smooth', 'spry', 'steady', 'sunny',
  'swift', 'tidy', 'vast', 'warm', 'wise', 'witty', 'zesty',
]
const NOUNS = [
  'ant', 'bass', 'bat', 'bear', 'bee', 'cat', 'colt', 'crab', 'crane', 'deer', 'doe', 'dove', 'duck',
  'eel', 'elk', 'fawn', 'finch', 'fox', 'frog', 'goat', 'gull', 'hare', 'hawk', 'hen', 'heron', 'ibis',
  'jay', 'koi', 'lark', 'lion', 'lynx', 'mink', 'mole', 'moth', 'newt', 'owl', 'ox', 'panda', 'pig',
  'pony', 'ram', 'robin', 'seal', 'shrew', 'slug', 'snail', 'swan', 'toad', 'trout', 'wolf', 'wren',
]

function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)] as T
}

/** A random run name in MLflow's `<adjective>-<noun>-<0..999>` style. */
export function generateRunName(): string {
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(Math.random() * 1000)}`
}

/** A run id in MLflow's format: 32 lowercase hex characters (uuid4().hex). */
export function generateRunId(): string {
  return crypto.randomUUID().replaceAll('-', '')
}
