/// A handler threw in a batch run without savepoints: roll it back and run it again with them.
struct FailedWithoutSavepoints: Error {
    let eventID: Int64
    let error: any Error
}
