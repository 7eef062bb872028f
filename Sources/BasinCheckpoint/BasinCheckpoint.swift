// The BasinCheckpoint module.
