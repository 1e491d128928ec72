import Foundation
import LapseApp
import LapseCore
import LapseStore
import Testing

@Suite("API tokens")
struct TokenTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("a token is stored only as its hash, found by its secret, listed without it, and revoked")
    func lifecycle() throws {
        let store = try LapseDatabase.inMemory()
        let manager = TokenManager(store: store)
        let issued = try manager.create(name: "alice", role: .editor)
        #expect(issued.secret.hasPrefix("lapse_") && issued.secret.count == 70)
        #expect(try manager.authenticate(secret: issued.secret) == issued.token)
        let altered = String(issued.secret.dropLast()) + (issued.secret.hasSuffix("0") ? "1" : "0")
        #expect(try manager.authenticate(secret: altered) == nil)
        #expect(try store.token(withSecretHash: SHA256.hex(issued.secret))?.name == "alice")
        #expect(try manager.list().map(\.name) == ["alice"])
        let other = try manager.create(name: "bob", role: .reader)
        #expect(other.secret != issued.secret)
        #expect(throws: DataProblems.self) { try manager.create(name: "alice", role: .admin) }
        #expect(throws: DataProblems.self) { try manager.create(name: "  ", role: .admin) }
        try manager.revoke(name: "alice")
        #expect(try manager.authenticate(secret: issued.secret) == nil)
        #expect(throws: TokenNotFound.self) { try manager.revoke(name: "alice") }
    }

    @Test("roles are ordered reader < editor < admin")
    func roles() {
        #expect(TokenRole.reader < .editor && TokenRole.editor < .admin)
    }
}
