// The BasinTraining module.
