import Foundation
import LapseCLI

@main
enum Entrypoint {
    static func main() {
        exit(LapseMain.run(Array(CommandLine.arguments.dropFirst())))
    }
}
