import BasinKernels

// Dimension letters: N examples, K classes.

extension Dataset {
    /// The data set with `count` training examples moved into a validation split.
    ///
    /// Stratified (the default): each class c with n_c of the N training examples gives
    /// ⌊count·n_c/N⌋ examples, and the count·n_c/N remainders left over go one each to the
    /// classes with the largest fractional parts (ties to the lower class), so the
    /// validation split has exactly `count` examples and the class proportions of the
    /// training split up to one example per class. Within a class, the held-out examples
    /// are the first ones of a seeded permutation of its members. Not stratified: the
    /// first `count` of a seeded permutation of all N.
    ///
    /// Both remaining splits keep the stored order of their examples. The training
    /// statistics for normalisation should be recomputed on the reduced training split.
    /// - Throws: `DataError.invalidValidationCount` unless 0 < count < N.
    /// - Precondition: no validation split is held out yet.
    public func holdingOutValidation(
        count: Int, stratified: Bool = true, generator: inout SeededGenerator
    ) throws -> Dataset {
        precondition(validation == nil, "a validation split is already held out")
        guard count > 0, count < train.count else {
            throw DataError.invalidValidationCount(requested: count, trainingCount: train.count)
        }
        var heldOut = [Bool](repeating: false, count: train.count)
        if stratified {
            for index in stratifiedSelection(count: count, generator: &generator) {
                heldOut[index] = true
            }
        } else {
            for index in seededPermutation(count: train.count, generator: &generator)
                .prefix(count)
            {
                heldOut[index] = true
            }
        }
        var result = self
        result.train = train.selecting(train.labels.indices.filter { !heldOut[$0] })
        result.validation = train.selecting(train.labels.indices.filter { heldOut[$0] })
        return result
    }

    /// Indices of `count` training examples drawn class by class in proportion.
    private func stratifiedSelection(count: Int, generator: inout SeededGenerator) -> [Int] {
        var members = [[Int]](repeating: [], count: classCount)
        for (index, label) in train.labels.enumerated() {
            members[Int(label)].append(index)
        }

        // Quotas by largest remainder: ⌊count·n_c/N⌋, then one more to the largest
        // fractions count·n_c mod N until the quotas add up to count.
        let total = train.count
        var quotas = members.map { count * $0.count / total }
        let byRemainder = members.indices.sorted {
            let (left, right) = (
                count * members[$0].count % total, count * members[$1].count % total
            )
            return left != right ? left > right : $0 < $1
        }
        for classIndex in byRemainder.prefix(count - quotas.reduce(0, +)) {
            quotas[classIndex] += 1
        }

        // The first quota members of a permutation of each class, classes in label order.
        var selected = [Int]()
        for (classIndex, classMembers) in members.enumerated() {
            var shuffled = classMembers
            seededShuffle(&shuffled, generator: &generator)
            selected.append(contentsOf: shuffled.prefix(quotas[classIndex]))
        }
        return selected
    }
}

extension DataSplit {
    /// A fixed subset for analyses: the first `count` examples of a seeded permutation,
    /// in that permuted order (the whole split, permuted, when `count ≥ N`).
    public func fixedSubset(count: Int, generator: inout SeededGenerator) -> DataSplit {
        precondition(count > 0, "a subset needs a positive count, got \(count)")
        return selecting(seededPermutation(count: self.count, generator: &generator).prefix(count))
    }
}
