import Foundation

/// An input of an import that cannot be read (as opposed to one whose data is wrong).
public enum InputError: Error, Sendable, CustomStringConvertible {
    case cannotRead(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
