"""Small real models for the model and registry tests: iris (from scikit-learn) and a pyfunc."""

import functools

import mlflow
import numpy as np
import pandas as pd
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

# Explicit requirements skip the client's requirement inference, a ~10 s subprocess per model.
PIP_REQUIREMENTS = ["scikit-learn", "pandas"]


@functools.cache
def iris() -> tuple[pd.DataFrame, pd.Series]:
    features, target = load_iris(return_X_y=True, as_frame=True)
    return features, target


def train_classifier(regularization: float = 1.0) -> LogisticRegression:
    features, target = iris()
    return LogisticRegression(C=regularization, max_iter=300).fit(features, target)


class ScaleAndShift(mlflow.pyfunc.PythonModel):
    """y = x * scale + shift, with `shift` read from a model artifact at load time."""

    def __init__(self, scale: float):
        self.scale = scale
        self.shift = None

    def load_context(self, context):
        with open(context.artifacts["shift"]) as f:
            self.shift = float(f.read())

    def predict(self, context, model_input: np.ndarray, params=None) -> np.ndarray:
        return np.asarray(model_input, dtype=float) * self.scale + self.shift


def log_sklearn_model(model, name: str = "model", **kwargs):
    """`mlflow.sklearn.log_model` with fixed requirements, so no inference subprocess runs."""
    return mlflow.sklearn.log_model(model, name=name, pip_requirements=PIP_REQUIREMENTS, **kwargs)


def log_pyfunc_model(tmp_path, scale=2.0, shift=0.5, name="model", **kwargs):
    """Logs a ScaleAndShift pyfunc whose `shift` travels as a model artifact."""
    shift_file = tmp_path / "shift.txt"
    shift_file.write_text(str(shift))
    return mlflow.pyfunc.log_model(
        name=name,
        python_model=ScaleAndShift(scale),
        artifacts={"shift": str(shift_file)},
        pip_requirements=["numpy"],
        **kwargs,
    )
