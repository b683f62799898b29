// findreviewer-server: parse the command line, run the service, exit with its status.
import FindReviewerServer
import Foundation

// Once, before anything else: glibc's allocator reads its tunables only at process start.
AllocatorTuning.reexecuteIfNeeded()
exit(ServerApp.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
