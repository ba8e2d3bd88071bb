"""Train a classifier on the Iris data (examples/data/iris.csv) and track it with MLflow's client.

The same work as examples/train.ts, through the unmodified MLflow Python client against Logbook:
params, per-epoch loss and accuracy, a matplotlib plot and the model (mlflow.sklearn.log_model).

    MLFLOW_TRACKING_URI=http://127.0.0.1:5000 .venv/bin/python examples/train.py [--epochs 60]
"""

import argparse
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.linear_model import SGDClassifier  # noqa: E402
from sklearn.metrics import accuracy_score, log_loss  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

DATA = Path(__file__).parent / "data" / "iris.csv"


def load_iris(path: Path):
    """scikit-learn's iris.csv: a header line `rows,features,class names...`, then rows."""
    with path.open() as f:
        header = f.readline().strip().split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    return table[:, :4], table[:, 4].astype(int), header[2:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--alpha", type=float, default=1e-4)
    parser.add_argument("--eta0", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--experiment", default="iris-examples")
    args = parser.parse_args()
    # Logbook's variable works too, so both examples run with the same environment.
    if "MLFLOW_TRACKING_URI" not in os.environ and "LOGBOOK_TRACKING_URI" in os.environ:
        mlflow.set_tracking_uri(os.environ["LOGBOOK_TRACKING_URI"])

    x, y, classes = load_iris(DATA)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.2, random_state=args.seed, stratify=y
    )
    scaler = StandardScaler().fit(x_train)
    x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)

    mlflow.set_experiment(args.experiment)
    with mlflow.start_run(run_name="py-sgd-logreg", tags={"language": "python", "dataset": "iris"}) as run:
        print(f"RUN_ID={run.info.run_id}", flush=True)
        mlflow.log_params(
            {
                "epochs": args.epochs,
                "alpha": args.alpha,
                "eta0": args.eta0,
                "seed": args.seed,
                "model": "SGDClassifier(log_loss)",
                "train_rows": len(x_train),
                "test_rows": len(x_test),
            }
        )
        dataset = mlflow.data.from_numpy(x_train, targets=y_train, source=str(DATA), name="iris")
        mlflow.log_input(dataset, context="training")

        clf = SGDClassifier(
            loss="log_loss",
            alpha=args.alpha,
            learning_rate="constant",
            eta0=args.eta0,
            random_state=args.seed,
        )
        labels = np.arange(len(classes))
        curves = {"train_loss": [], "test_loss": [], "test_accuracy": []}
        for epoch in range(args.epochs):
            clf.partial_fit(x_train, y_train, classes=labels)
            metrics = {
                "train_loss": log_loss(y_train, clf.predict_proba(x_train), labels=labels),
                "train_accuracy": accuracy_score(y_train, clf.predict(x_train)),
                "test_loss": log_loss(y_test, clf.predict_proba(x_test), labels=labels),
                "test_accuracy": accuracy_score(y_test, clf.predict(x_test)),
            }
            mlflow.log_metrics(metrics, step=epoch)
            for key in curves:
                curves[key].append(metrics[key])

        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        for key, values in curves.items():
            ax.plot(values, label=key.replace("_", " "))
        ax.set_xlabel("epoch")
        ax.set_title("Iris SGD logistic regression")
        ax.legend()
        mlflow.log_figure(fig, "plots/training.png")
        plt.close(fig)

        mlflow.set_tag("final_test_accuracy", f"{curves['test_accuracy'][-1]:.4f}")
        # Naming the requirements skips MLflow's inference, which imports the model in a subprocess.
        mlflow.sklearn.log_model(
            clf,
            name="model",
            input_example=x_test[:2],
            pip_requirements=[f"scikit-learn=={sklearn.__version__}"],
        )
        print(f"test accuracy {curves['test_accuracy'][-1] * 100:.1f}% after {args.epochs} epochs")


if __name__ == "__main__":
    main()
