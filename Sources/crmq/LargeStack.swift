#if canImport(Glibc)
import Glibc
#endif

/// A thread with a large stack for work that recurses as deep as the statements it is given.
enum LargeStack {
    /// Reserved address space, not memory: pages are used only as deep as the recursion goes.
    static let bytes = 256 << 20

    private final class Work: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread with a large stack and waits for it; on the calling thread if
    /// no thread can be had.
    static func run(_ body: @escaping () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, bytes)
        let work = Unmanaged.passRetained(Work(body))
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, work.toOpaque())
        if started == 0 {
            pthread_join(thread, nil)
        } else {
            work.takeRetainedValue().body()
        }
    }
}
