// The BasinData module.
