import Foundation

/// Where an export writes its text, piece by piece: a file or standard output, chosen and made
/// safe by the front end.
public protocol TextOutput: AnyObject {
    func write(_ text: String) throws
}
