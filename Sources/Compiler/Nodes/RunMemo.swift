/// Values built once per compile run, by id, the first time a host needs one: every host that
/// shares the object (a service, a router's zone, a switch's members) gets the same value.
final class RunMemo<Value> {
    private var values: [String: Value] = [:]

    func value(for id: String, _ build: () -> Value) -> Value {
        if let known = values[id] { return known }
        let built = build()
        values[id] = built
        return built
    }
}
