/** An experiment as experiments/search returns it (empty tag lists are omitted on the wire). */
export interface Experiment {
  experiment_id: string
  name: string
  artifact_location?: string
  lifecycle_stage: 'active' | 'deleted'
  creation_time?: number
  last_update_time?: number
  tags?: { key: string; value: string }[]
}

export interface ExperimentPage {
  experiments?: Experiment[]
  next_page_token?: string
}
