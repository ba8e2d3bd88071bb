"""Fill an MLflow tracking server through MLflow's own Python client (argv[1] = tracking URI).

Prints a JSON object with the run ids and what was logged, for the import-mlflow test to check.
"""
import json
import math
import os
import sys
import tempfile

import mlflow
import pandas as pd
from mlflow import MlflowClient

T0 = 1_700_000_000_000


class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input


mlflow.set_tracking_uri(sys.argv[1])
client = MlflowClient()
exp_id = mlflow.set_experiment("from-mlflow").experiment_id
client.set_experiment_tag(exp_id, "team", "nlp")

files = tempfile.mkdtemp()
os.makedirs(os.path.join(files, "sub"))
with open(os.path.join(files, "report.txt"), "w") as f:
    f.write("accuracy went up\n")
with open(os.path.join(files, "sub", "weights.bin"), "wb") as f:
    f.write(bytes(range(256)) * 4)

with mlflow.start_run(run_name="outer") as outer:
    mlflow.log_params({"lr": "0.1", "layers": "3"})
    mlflow.set_tag("stage", "prod")
    for step in range(50):
        client.log_metric(outer.info.run_id, "loss", 1.0 / (step + 1), timestamp=T0 + step, step=step)
    client.log_metric(outer.info.run_id, "loss", math.nan, timestamp=T0 + 50, step=50)
    mlflow.log_artifacts(files, artifact_path="outputs")
    frame = pd.DataFrame({"x": [1, 2, 3], "y": [0, 1, 0]})
    mlflow.log_input(mlflow.data.from_pandas(frame, name="tiny", targets="y"), context="training")
    echo = mlflow.pyfunc.log_model(
        name="echo", python_model=Echo(), registered_model_name="echo-model", pip_requirements=["mlflow"]
    )
    with mlflow.start_run(run_name="inner", nested=True) as inner:
        mlflow.log_param("fold", "1")
        client.log_metric(inner.info.run_id, "acc", 0.9, timestamp=T0 + 7, step=3)

with mlflow.start_run(run_name="failed-one") as failed:
    mlflow.log_metric("x", 1.0)
client.set_terminated(failed.info.run_id, status="FAILED", end_time=T0 + 99)

client.create_registered_model("mlflow-model", tags={"owner": "nlp"}, description="from MLflow")
source = f"{outer.info.artifact_uri}/outputs"
version = client.create_model_version(
    "mlflow-model", source=source, run_id=outer.info.run_id, tags={"quality": "good"}, description="v1"
)
client.set_registered_model_alias("mlflow-model", "prod", version.version)

print(json.dumps({
    "experiment_id": exp_id,
    "outer": outer.info.run_id,
    "inner": inner.info.run_id,
    "failed": failed.info.run_id,
    "version": version.version,
    "source": source,
    "logged_model": echo.model_id,
}))
