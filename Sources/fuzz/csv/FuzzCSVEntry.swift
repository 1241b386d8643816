import CrmqEngine

/// libFuzzer's entry for the csv target (scripts/fuzz builds it with -sanitize=fuzzer, which
/// supplies main). The work is in the engine, where FuzzRegressionTests replays saved crashes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = FuzzTarget.csv.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
