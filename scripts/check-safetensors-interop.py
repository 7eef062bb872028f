#!/usr/bin/env python3
"""Checks that Basin's safetensors files and the reference `safetensors` library agree.

Two fixtures live in Tests/BasinCheckpointTests/Fixtures:

  basin-written.safetensors   written by Basin's encoder (the Swift test
                              "the encoder reproduces the committed fixture" keeps it current)
  python-written.safetensors  written by safetensors.torch from a PyTorch module's state_dict
                              plus F16, BF16, F64, I32 and U8 tensors; Basin's tests read it

This script
  1. reads basin-written.safetensors with safetensors.numpy (and safetensors.torch when
     PyTorch is installed, loading it into a PyTorch module with strict=True), compares
     every value with the formulas below, and checks that safetensors.numpy.save of the same
     tensors and metadata gives the same bytes (apart from the order of the metadata keys,
     which the reference keeps in a hash map);
  2. rebuilds python-written.safetensors and checks that it holds the same tensors and
     metadata as the committed file (or writes it with --write-fixture).

Usage: python3 scripts/check-safetensors-interop.py [--write-fixture]
Needs: pip install safetensors numpy (torch optional; required for --write-fixture).
"""

import json
import pathlib
import struct
import sys

import numpy as np
from safetensors.numpy import load_file, save

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests/BasinCheckpointTests/Fixtures"


def basin_expected_tensors():
    """The tensors that BasinCheckpointTests writes into basin-written.safetensors."""
    return {
        "fc.weight": (np.arange(6, dtype=np.float32) * 0.25 - 0.75).reshape(2, 3),
        "fc.bias": np.array([0.5, -0.5], dtype=np.float32),
        "bn.weight": np.array([1.5, 0.75], dtype=np.float32),
        "bn.bias": np.array([-0.25, 0.125], dtype=np.float32),
        "bn.running_mean": np.array([0.1, -0.2], dtype=np.float32),
        "bn.running_var": np.array([0.9, 1.1], dtype=np.float32),
        "bn.num_batches_tracked": np.array(42, dtype=np.int64),
    }


BASIN_EXPECTED_METADATA = {
    "basin_format_version": "1",
    "kind": "final",
    "architecture": "interop-mlp",
    "input_shape": "[3]",
    "class_count": "2",
    "iteration": "42",
    "epoch": "1",
    "learning_rate": "0.1",
    "momentum": "0.9",
    "weight_decay": "0.0005",
    "seed": "7",
    "dataset": "none",
    "test_accuracy": "0.5",
}


def header_length(data):
    return struct.unpack("<Q", data[:8])[0]


def parsed_header(data):
    """The header's members in file order, objects as lists of pairs."""
    text = data[8 : 8 + header_length(data)].decode()
    return json.loads(text, object_pairs_hook=list)


# The bytes that the Swift test "the bytes match the reference library's for a small file"
# expects of Basin's encoder: header, 4 spaces of padding, I64 3, F32 1 and 2.
BASIN_SMALL_FILE = (
    struct.pack("<Q", 136)
    + b'{"__metadata__":{"k":"v"},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},'
    + b'"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}    '
    + struct.pack("<q", 3)
    + struct.pack("<2f", 1, 2)
)


def check_basin_written():
    path = FIXTURES / "basin-written.safetensors"
    data = path.read_bytes()
    loaded = load_file(str(path))
    expected = basin_expected_tensors()
    assert sorted(loaded) == sorted(expected), (sorted(loaded), sorted(expected))
    for name, value in expected.items():
        got = loaded[name]
        assert got.dtype == value.dtype, (name, got.dtype, value.dtype)
        assert got.shape == value.shape, (name, got.shape, value.shape)
        assert np.array_equal(got, value), (name, got, value)
    print(f"numpy read {path.name}: {len(loaded)} tensors, dtypes and values as expected")

    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as handle:
        metadata = handle.metadata()
    assert metadata == BASIN_EXPECTED_METADATA, metadata
    print(f"metadata as expected: {len(metadata)} keys")

    # The reference keeps __metadata__ in a hash map, so its key order is arbitrary; Basin
    # sorts the keys. Everything else must be identical: header length (padding included),
    # tensor order, entries, and the data area byte for byte.
    reference = save(expected, metadata=metadata)
    assert header_length(reference) == header_length(data), "header lengths differ"
    ours, theirs = parsed_header(data), parsed_header(reference)
    assert dict(ours.pop(0)[1]) == dict(theirs.pop(0)[1]), "metadata differs"
    assert ours == theirs, f"tensor entries differ:\n{ours}\n{theirs}"
    offset = 8 + header_length(data)
    assert data[offset:] == reference[offset:], "data areas differ"
    print("safetensors.numpy.save of the same tensors gives the same header length, entries,")
    print(f"  tensor order and data bytes ({len(data)} bytes; metadata key order aside)")

    single = {"b": np.array([1, 2], dtype=np.float32), "a": np.array(3, dtype=np.int64)}
    assert save(single, metadata={"k": "v"}) == BASIN_SMALL_FILE, "small file differs"
    print("with one metadata key the bytes are identical to Basin's small-file test")

    torch = optional_torch()
    if torch is None:
        print("PyTorch not installed: skipped the load_state_dict check")
        return
    from safetensors.torch import load_file as load_torch

    model = InteropModel(torch)
    state = load_torch(str(path))
    model.load_state_dict(state, strict=True)
    assert model.bn.num_batches_tracked.item() == 42
    print(f"torch {torch.__version__}: load_state_dict(strict=True) accepted {path.name}")


def InteropModel(torch):
    """fc: Linear(3, 2), bn: BatchNorm1d(2), the layout both fixtures use."""

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(3, 2)
            self.bn = torch.nn.BatchNorm1d(2)

    return Model()


def python_fixture_tensors(torch):
    """A module's state_dict set to exact values, plus tensors of every dtype Basin reads."""
    model = InteropModel(torch)
    with torch.no_grad():
        model.fc.weight.copy_((torch.arange(6, dtype=torch.float32) - 2.0).reshape(2, 3) * 0.375)
        model.fc.bias.copy_(torch.tensor([0.25, -1.0]))
        model.bn.weight.copy_(torch.tensor([2.0, 0.5]))
        model.bn.bias.copy_(torch.tensor([0.0, -0.125]))
        model.bn.running_mean.copy_(torch.tensor([0.25, -0.5]))
        model.bn.running_var.copy_(torch.tensor([2.0, 0.5]))
        model.bn.num_batches_tracked.fill_(3)
    tensors = {name: value.clone() for name, value in model.state_dict().items()}
    tensors["extra.half"] = torch.tensor([0.5, -2.0, 65504.0, 2.0**-24], dtype=torch.float16)
    tensors["extra.bfloat"] = torch.tensor([1.5, -0.15625], dtype=torch.bfloat16)
    tensors["extra.double"] = torch.tensor([0.1, -1e300, 2.5], dtype=torch.float64)
    tensors["extra.int32"] = torch.tensor([-7, 9], dtype=torch.int32)
    tensors["extra.uint8"] = torch.tensor([0, 128, 255], dtype=torch.uint8)
    tensors["extra.empty"] = torch.zeros((0, 3), dtype=torch.float32)
    return tensors


PYTHON_FIXTURE_METADATA = {"format": "pt", "architecture": "interop-mlp", "learning_rate": "0.1"}


def check_python_written(write):
    path = FIXTURES / "python-written.safetensors"
    torch = optional_torch()
    if torch is None:
        print("PyTorch not installed: cannot rebuild python-written.safetensors")
        return
    from safetensors.torch import save

    data = save(python_fixture_tensors(torch), metadata=PYTHON_FIXTURE_METADATA)
    if write:
        FIXTURES.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path} ({len(data)} bytes)")
    else:
        # The metadata's key order is arbitrary in the reference, so compare contents.
        committed = path.read_bytes()
        assert len(committed) == len(data), f"{path} differs in size from a fresh write"
        ours, theirs = parsed_header(committed), parsed_header(data)
        assert dict(ours.pop(0)[1]) == dict(theirs.pop(0)[1]), "metadata differs"
        assert ours == theirs, "tensor entries differ"
        offset = 8 + header_length(data)
        assert committed[offset:] == data[offset:], "data areas differ"
        print(f"{path.name} holds what safetensors.torch writes today ({len(data)} bytes)")


def optional_torch():
    try:
        import torch

        return torch
    except ImportError:
        return None


if __name__ == "__main__":
    write = "--write-fixture" in sys.argv[1:]
    check_python_written(write)
    check_basin_written()
    print("interop check passed")
