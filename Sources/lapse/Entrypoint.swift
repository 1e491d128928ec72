import Foundation
import LapseCLI
import LapseStore

@main
enum Entrypoint {
    static func main() {
        LapseDatabase.configureProcess()
        exit(LapseMain.run(Array(CommandLine.arguments.dropFirst())))
    }
}
