/// An object that can be a row of `-o table` output.
public protocol TableRepresentable {
    /// The column headers, upper case.
    static var columns: [String] { get }
    /// The ids this row shows by name (a switch's tenant, a port's host), looked up before rendering.
    var referencedIDs: [(kind: ResourceKind, id: String)] { get }
    /// The cells, in `columns` order; `names` turns referenced ids into names.
    func cells(names: NameDirectory) -> [String]
}

extension TableRepresentable {
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [] }
}
