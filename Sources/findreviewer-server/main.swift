// findreviewer-server: parse the command line, run the service, exit with its status.
import FindReviewerServer
import Foundation

exit(ServerApp.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
