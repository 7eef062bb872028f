/// The values of one command's declarations after parsing, keyed by declaration.
struct ParsedValues {
    /// Each declaration's value (given or default), boxed, under `ErasedDeclaration.key`.
    var storage: [String: Any] = [:]
    /// The keys of the declarations that appeared on the command line.
    var givenKeys: Set<String> = []

    /// The value of `declaration`, which must belong to the command that was parsed.
    func value<Value>(of declaration: ErasedDeclaration, as type: Value.Type) -> Value {
        guard let boxed = storage[declaration.key] else {
            preconditionFailure(
                "\(declaration.displayName) is not a stored property of the running command; "
                    + "declare it as a `let` of the command, not inside run()")
        }
        guard let value = boxed as? Value else {
            preconditionFailure(
                "\(declaration.displayName) holds \(Swift.type(of: boxed)), not \(Value.self)")
        }
        return value
    }
}
