// The BasinAnalysis module.
