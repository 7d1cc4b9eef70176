import Kernel

/// A link an object created in the current pass, where it is now: a link that was renamed or moved
/// into another namespace after its creation is followed, so that undoing deletes it there.
struct CreatedLink: Equatable, Sendable {
    var name: String
    var namespace: String?

    /// Records what `operation` does to the object's links: creation adds one, a rename or a move
    /// updates it.
    static func track(_ operation: KernelOperation, in links: inout [CreatedLink]) {
        switch operation {
        case let .addLink(spec, namespace):
            links.append(CreatedLink(name: spec.name, namespace: namespace))
        case let .setLink(name, change, namespace):
            guard change.newName != nil || change.namespace != nil,
                  let index = links.firstIndex(where: { $0.name == name && $0.namespace == namespace }) else { return }
            if let newNamespace = change.namespace { links[index].namespace = newNamespace }
            if let newName = change.newName { links[index].name = newName }
        default:
            break
        }
    }
}
