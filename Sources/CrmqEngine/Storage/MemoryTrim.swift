#if canImport(Glibc)
import Glibc
#endif

/// Hands memory that was freed (the scratch arrays of generating data and building indexes) back to
/// the operating system, so resident memory reflects the data, not the peak of getting it there.
/// glibc keeps freed pages otherwise; `malloc_trim` is looked up at run time because the Glibc
/// module does not export it.
enum MemoryTrim {
    static func releaseFreedMemory() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        typealias Trim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
