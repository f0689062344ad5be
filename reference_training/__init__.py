"""Training of the shipped reference VLA policy, as a package the tools and tests import.

One module per step (docs/DESIGN.md "The VLA engine contract"):

- :mod:`reference_training.scenes`: the vocabulary, held-out splits and seeded scene generators;
- :mod:`reference_training.experts`: the scripted experts and their demonstrations;
- :mod:`reference_training.realtime`: the policy run sync / async against a modelled latency;
- :mod:`reference_training.dataset`: demonstrations and DAgger data;
- :mod:`reference_training.model`: the network (torch, imported lazily) and its training loop;
- :mod:`reference_training.export`: ONNX + INT8 + PyTorch twin + model card;
- :mod:`reference_training.evaluate`: closed-loop evaluation through the real VLA leaf;
- :mod:`reference_training.report`: ``REPORT.md``;
- :mod:`reference_training.train`: the pipeline behind ``tools/train_reference_policy.py``.

It sits above ``executive`` in the layering (it drives the simulated world); nothing in the
executive imports it.
"""
