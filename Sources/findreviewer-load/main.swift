// findreviewer-load: load tests against a FindReviewer server (see FindReviewerLoad.LoadTool).
import FindReviewerCLI
import FindReviewerLoad
import Foundation

exit(LoadTool.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment, console: .standard()))
