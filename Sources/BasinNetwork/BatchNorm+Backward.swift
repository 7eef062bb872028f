// Dimension letters as in BatchNorm.swift: N batch, C channels, S positions per channel,
// M = N·S values per channel; x̂ normalised input, s = 1/√(σ² + ε).

extension BatchNorm {
    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard let gradient = context.gradient else {
            preconditionFailure("BatchNorm.backward needs a gradient vector")
        }
        let (batch, s) = (context.batch, spatialCount)
        let valuesPerChannel = Double(batch * s)
        guard let input else { preconditionFailure("BatchNorm.backward before forward") }
        let gx = inputGradient.reserve(batch * channels * s)
        let xHat = UnsafePointer(normalized.pointer)
        let kept = keepsNormalized
        let mean = UnsafePointer(channelMean.pointer)
        let scale = UnsafePointer(channelScale.pointer)
        let (meanG, meanGX) = (gradientMean.pointer, gradientNormalizedMean.pointer)
        let theta = context.parameters
        let batchMode = mode == .batch
        // With a fused ReLU the gradient arrives as g_z, and g_y = g_z⊙[z > 0].
        let rectified: UnsafePointer<Float>? = rectifiesOutput ? UnsafePointer(output.pointer) : nil

        forEachChannel { c in
            // g_β = Σ g_y, g_γ = Σ g_y⊙x̂, with x̂ = (x − μ)·s read or recomputed.
            let (muF, sF) = (mean[c], scale[c])
            var sum = 0.0
            var sumNormalized = 0.0
            for n in 0..<batch {
                let start = runStart(n, c)
                let g = outputGradient + start
                if let z = rectified {
                    sum += Double(RunReductions.maskedSum(g, mask: z + start, s))
                    sumNormalized += Double(
                        RunReductions.maskedNormalizedDot(
                            g, mask: z + start, input + start, mean: muF, scale: sF, s))
                } else {
                    sum += Double(RunReductions.sum(g, s))
                    sumNormalized += Double(
                        kept
                            ? RunReductions.dot(g, xHat + start, s)
                            : RunReductions.normalizedDot(g, input + start, mean: muF, scale: sF, s)
                    )
                }
            }
            gradient[weightOffset + c] = Float(sumNormalized)
            gradient[biasOffset + c] = Float(sum)
            let (mg, mgx) = (Float(sum / valuesPerChannel), Float(sumNormalized / valuesPerChannel))
            meanG[c] = mg
            meanGX[c] = mgx
            guard needsInputGradient else { return }

            // g_x = γ·s·P(g_y) in batch mode, γ·s·g_y in running mode.
            let factor = theta[weightOffset + c] * sF
            let (shift, slope) = batchMode ? (mg, mgx) : (0, 0)
            for n in 0..<batch {
                let start = runStart(n, c)
                if let z = rectified {
                    for i in start..<start + s {
                        let normalizedValue = (input[i] - muF) * sF
                        let g = outputGradient[i] * (z[i] > 0 ? 1 : 0)
                        gx[i] = factor * (g - shift - normalizedValue * slope)
                    }
                } else if kept {
                    for i in start..<start + s {
                        gx[i] = factor * (outputGradient[i] - shift - xHat[i] * slope)
                    }
                } else {
                    for i in start..<start + s {
                        let normalizedValue = (input[i] - muF) * sF
                        gx[i] = factor * (outputGradient[i] - shift - normalizedValue * slope)
                    }
                }
            }
        }
        return needsInputGradient ? UnsafePointer(gx) : nil
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard let product = context.gradientTangent, let direction = context.direction else {
            preconditionFailure("BatchNorm.backwardTangent needs a product vector and a direction")
        }
        let (batch, s) = (context.batch, spatialCount)
        let valuesPerChannel = Double(batch * s)
        let gxDot = inputGradientTangent.reserve(batch * channels * s)
        let xHat = UnsafePointer(normalized.pointer)
        let xHatDot = UnsafePointer(normalizedTangent.pointer)
        let scale = UnsafePointer(channelScale.pointer)
        let scaleRate = UnsafePointer(channelScaleRate.pointer)
        let (meanG, meanGX) = (
            UnsafePointer(gradientMean.pointer), UnsafePointer(gradientNormalizedMean.pointer)
        )
        let theta = context.parameters
        let batchMode = mode == .batch
        let (g, r) = (outputGradient, outputGradientTangent)

        forEachChannel { c in
            // R{g_β} = Σ R{g_y}, R{g_γ} = Σ (R{g_y}⊙x̂ + g_y⊙ẋ̂).
            var sumR = 0.0
            var sumRX = 0.0
            var sumGXDot = 0.0
            for n in 0..<batch {
                let start = runStart(n, c)
                sumR += Double(RunReductions.sum(r + start, s))
                sumRX += Double(RunReductions.dot(r + start, xHat + start, s))
                sumGXDot += Double(RunReductions.dot(g + start, xHatDot + start, s))
            }
            product[weightOffset + c] = Float(sumRX + sumGXDot)
            product[biasOffset + c] = Float(sumR)
            guard needsInputGradient else { return }

            let (gamma, gammaDot, sF) = (
                theta[weightOffset + c], direction[weightOffset + c], scale[c]
            )
            guard batchMode else {
                // Running mode: R{g_x} = s·(v_γ·g_y + γ·R{g_y}).
                for n in 0..<batch {
                    let start = runStart(n, c)
                    for i in start..<start + s { gxDot[i] = sF * (gammaDot * g[i] + gamma * r[i]) }
                }
                return
            }

            // Batch mode: the channel means of a = γ·g_y, ȧ = v_γ·g_y + γ·R{g_y} and their
            // products with x̂ and ẋ̂, then R{g_x} elementwise.
            let (mg, mgx) = (meanG[c], meanGX[c])
            let mr = Float(sumR / valuesPerChannel)
            let mrx = Float(sumRX / valuesPerChannel)
            let mgxDot = Float(sumGXDot / valuesPerChannel)
            let meanAX = gamma * mgx
            let meanADot = gammaDot * mg + gamma * mr
            let along = gammaDot * mgx + gamma * mrx + gamma * mgxDot
            let rate = scaleRate[c]
            let gradientFactor = gamma * sF
            for n in 0..<batch {
                let start = runStart(n, c)
                for i in start..<start + s {
                    let inputGradient = gradientFactor * (g[i] - mg - xHat[i] * mgx)
                    let aDot = gammaDot * g[i] + gamma * r[i]
                    gxDot[i] =
                        rate * inputGradient
                        + sF * (aDot - meanADot - xHatDot[i] * meanAX - xHat[i] * along)
                }
            }
        }
        return needsInputGradient ? UnsafePointer(gxDot) : nil
    }
}
