// findreviewer: the command line for a FindReviewer server (see FindReviewerCLI.CLI).
import FindReviewerCLI
import Foundation
import ToolSupport

exit(CLI.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment, console: .standard()))
