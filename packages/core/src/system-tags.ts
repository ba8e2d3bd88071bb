/** Tag keys MLflow's clients set and read; Logbook treats them as ordinary tags with these meanings. */
export const TAG_RUN_NAME = 'mlflow.runName'
export const TAG_USER = 'mlflow.user'
export const TAG_PARENT_RUN_ID = 'mlflow.parentRunId'
export const TAG_SOURCE_NAME = 'mlflow.source.name'
export const TAG_SOURCE_TYPE = 'mlflow.source.type'
export const TAG_GIT_COMMIT = 'mlflow.source.git.commit'
export const TAG_NOTE = 'mlflow.note.content'
export const TAG_DATASET_CONTEXT = 'mlflow.data.context'
