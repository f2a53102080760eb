#!/usr/bin/env python3
"""Runs one model with PySD and prints its run as CSV on stdout: the
runner `tests/conformance.rs` measures another engine with, by the same
rule as ours (TRAJECTOIRE_CONFORMANCE_RUNNER="python3 tests/runners/pysd_run.py").

PySD translates a model into Python beside it, so the model's folder is
copied to a temporary one first: the suite is read, never written.
"""
import os
import shutil
import sys
import tempfile
import warnings


def main(args):
    import pysd

    # `--data FILE` (repeated) before the model: its data variables' files,
    # given as PySD's `data_files`.
    data = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "--data"]
    path = args[-1]

    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "model")
        shutil.copytree(os.path.dirname(os.path.abspath(path)), folder)
        copy = os.path.join(folder, os.path.basename(path))
        ext = os.path.splitext(copy)[1].lower()
        files = [os.path.join(folder, os.path.basename(d)) for d in data]
        if ext == ".mdl":
            model = pysd.read_vensim(copy, data_files=files or None)
        else:
            model = pysd.read_xmile(copy)
        run = model.run()
        run.index.name = "Time"
        run.to_csv(sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
