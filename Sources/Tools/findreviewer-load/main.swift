// findreviewer-load: load tests against a FindReviewer server (see FindReviewerLoad.LoadTool).
import FindReviewerLoad
import Foundation
import ToolSupport

exit(LoadTool.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment, console: .standard()))
