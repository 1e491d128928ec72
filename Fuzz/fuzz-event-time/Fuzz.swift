import Foundation
import LapseFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzHarness.eventTime(start.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
