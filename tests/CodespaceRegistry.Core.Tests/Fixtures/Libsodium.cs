using System;
using System.Runtime.InteropServices;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// Debian's libsodium (package libsodium23), the library GitHub's docs use to encrypt secrets: the independent
    /// party that proves our sealed boxes open as GitHub opens them.
    /// </summary>
    internal static class Libsodium
    {
        private const string Library = "libsodium.so.23";
        public const int PublicKeyBytes = 32;
        public const int SecretKeyBytes = 32;
        public const int SealBytes = 48;

        static Libsodium()
        {
            if (sodium_init() < 0) throw new InvalidOperationException("libsodium failed to initialise.");
        }

        public static (byte[] PublicKey, byte[] SecretKey) BoxKeyPair()
        {
            var pk = new byte[PublicKeyBytes];
            var sk = new byte[SecretKeyBytes];
            if (crypto_box_keypair(pk, sk) != 0) throw new InvalidOperationException("crypto_box_keypair failed.");
            return (pk, sk);
        }

        /// <summary>Opens a sealed box, or returns null when it does not open (wrong key, tampered).</summary>
        public static byte[]? SealOpen(byte[] box, byte[] publicKey, byte[] secretKey)
        {
            if (box.Length < SealBytes) return null;
            var message = new byte[box.Length - SealBytes];
            return crypto_box_seal_open(message, box, (ulong)box.Length, publicKey, secretKey) == 0 ? message : null;
        }

        [DllImport(Library)]
        private static extern int sodium_init();

        [DllImport(Library)]
        private static extern int crypto_box_keypair(byte[] pk, byte[] sk);

        [DllImport(Library)]
        private static extern int crypto_box_seal_open(byte[] m, byte[] c, ulong clen, byte[] pk, byte[] sk);
    }
}
