// The BasinReport module.
