#!/usr/bin/env python3
"""Builds the `embedded` data set: a balanced subset of Fashion-MNIST.

Reads the four gzipped IDX files of the full Fashion-MNIST set (by default from the Debian
package `dataset-fashion-mnist`, /usr/share/datasets/fashion-mnist/) and writes four gzipped
IDX files with the same names into Sources/BasinData/Resources/embedded/:

    train-images-idx3-ubyte.gz  train-labels-idx1-ubyte.gz   10,000 images, 1,000 per class
    t10k-images-idx3-ubyte.gz   t10k-labels-idx1-ubyte.gz     2,000 images,   200 per class

Selection (deterministic, independent of the Python version):
  for each split and each class c = 0..9, take the indices of the class's images in file
  order, shuffle them with a Fisher-Yates shuffle driven by SplitMix64 seeded with
  SEED + 1000 * split_number + c (split_number 0 for train, 1 for test), and keep the first
  `per_class` of them. The kept indices of all classes are then sorted, so the subset keeps
  the original file order (classes interleaved as in the source).
The output is byte-for-byte reproducible: gzip headers carry no file name and mtime 0.

Usage: python3 scripts/make-embedded-dataset.py [SOURCE_FOLDER] [OUTPUT_FOLDER]
"""

import gzip
import hashlib
import os
import struct
import sys

SEED = 20170825  # the date Fashion-MNIST was published, as a fixed, documented seed
CLASS_COUNT = 10
PER_CLASS = {"train": 1000, "t10k": 200}
MASK64 = (1 << 64) - 1


class SplitMix64:
    """Steele, Lea and Flood's SplitMix64 generator (the constants of java.util.SplittableRandom)."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, bound):
        """Uniform integer in [0, bound) by rejection, without modulo bias."""
        limit = (1 << 64) - ((1 << 64) % bound)
        while True:
            value = self.next()
            if value < limit:
                return value % bound


def shuffled(values, generator):
    values = list(values)
    for i in range(len(values) - 1, 0, -1):
        j = generator.below(i + 1)
        values[i], values[j] = values[j], values[i]
    return values


def read_idx(path, expected_magic):
    with gzip.open(path, "rb") as file:
        data = file.read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic != expected_magic:
        sys.exit(f"{path}: magic number 0x{magic:08x}, expected 0x{expected_magic:08x}")
    dimension_count = magic & 0xFF
    dimensions = struct.unpack(">" + "I" * dimension_count, data[4 : 4 + 4 * dimension_count])
    body = data[4 + 4 * dimension_count :]
    item_size = 1
    for dimension in dimensions[1:]:
        item_size *= dimension
    if len(body) != dimensions[0] * item_size:
        sys.exit(f"{path}: {len(body)} data bytes, expected {dimensions[0] * item_size}")
    return dimensions, item_size, body


def write_idx(path, magic, dimensions, body):
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * len(dimensions), *dimensions)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as file:
            file.write(header + body)


def make_split(source, output, prefix, split_number):
    image_dims, image_size, images = read_idx(
        os.path.join(source, f"{prefix}-images-idx3-ubyte.gz"), 0x00000803)
    label_dims, _, labels = read_idx(
        os.path.join(source, f"{prefix}-labels-idx1-ubyte.gz"), 0x00000801)
    if image_dims[0] != label_dims[0]:
        sys.exit(f"{prefix}: {image_dims[0]} images but {label_dims[0]} labels")

    per_class = PER_CLASS[prefix]
    kept = []
    for label in range(CLASS_COUNT):
        members = [i for i, value in enumerate(labels) if value == label]
        generator = SplitMix64(SEED + 1000 * split_number + label)
        kept.extend(shuffled(members, generator)[:per_class])
    kept.sort()

    subset_images = b"".join(images[i * image_size : (i + 1) * image_size] for i in kept)
    subset_labels = bytes(labels[i] for i in kept)
    count = len(kept)
    write_idx(os.path.join(output, f"{prefix}-images-idx3-ubyte.gz"), 0x00000803,
              (count,) + tuple(image_dims[1:]), subset_images)
    write_idx(os.path.join(output, f"{prefix}-labels-idx1-ubyte.gz"), 0x00000801,
              (count,), subset_labels)
    digest = hashlib.sha256(bytes(str(kept), "ascii")).hexdigest()[:16]
    print(f"{prefix}: kept {count} of {image_dims[0]} images; index-list sha256 {digest}")
    print_statistics(f"{prefix} subset", subset_images)
    print_statistics(f"{prefix} full set", images)


def print_statistics(title, pixels):
    """Mean and population standard deviation of pixel/255, from exact integer sums."""
    histogram = [0] * 256
    for value in pixels:
        histogram[value] += 1
    total = len(pixels)
    mean = sum(v * c for v, c in enumerate(histogram)) / (255 * total)
    square = sum(v * v * c for v, c in enumerate(histogram)) / (255 * 255 * total)
    print(f"  {title}: mean {mean:.7f}, standard deviation {(square - mean * mean) ** 0.5:.7f}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "..", "Sources", "BasinData", "Resources", "embedded")
    os.makedirs(output, exist_ok=True)
    make_split(source, output, "train", 0)
    make_split(source, output, "t10k", 1)


if __name__ == "__main__":
    main()
