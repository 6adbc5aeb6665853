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

        /// <summary><c>crypto_box_easy</c>: tag || ciphertext, for a known-answer comparison.</summary>
        public static byte[] BoxEasy(byte[] message, byte[] nonce, byte[] publicKey, byte[] secretKey)
        {
            var box = new byte[message.Length + 16];
            if (crypto_box_easy(box, message, (ulong)message.Length, nonce, publicKey, secretKey) != 0) throw new InvalidOperationException("crypto_box_easy failed.");
            return box;
        }

        public static byte[] ScalarMultBase(byte[] secretKey)
        {
            var publicKey = new byte[PublicKeyBytes];
            if (crypto_scalarmult_base(publicKey, secretKey) != 0) throw new InvalidOperationException("crypto_scalarmult_base failed.");
            return publicKey;
        }

        /// <summary><c>crypto_generichash</c> (BLAKE2b) with an output of <paramref name="length"/> bytes.</summary>
        public static byte[] GenericHash(int length, byte[] input)
        {
            var hash = new byte[length];
            if (crypto_generichash(hash, (UIntPtr)length, input, (ulong)input.Length, null, UIntPtr.Zero) != 0) throw new InvalidOperationException("crypto_generichash failed.");
            return hash;
        }

        public static byte[] HSalsa20(byte[] key, byte[] input)
        {
            var output = new byte[32];
            if (crypto_core_hsalsa20(output, input, key, null) != 0) throw new InvalidOperationException("crypto_core_hsalsa20 failed.");
            return output;
        }

        [DllImport(Library)]
        private static extern int sodium_init();

        [DllImport(Library)]
        private static extern int crypto_box_easy(byte[] c, byte[] m, ulong mlen, byte[] n, byte[] pk, byte[] sk);

        [DllImport(Library)]
        private static extern int crypto_scalarmult_base(byte[] q, byte[] n);

        [DllImport(Library)]
        private static extern int crypto_generichash(byte[] @out, UIntPtr outlen, byte[] @in, ulong inlen, byte[]? key, UIntPtr keylen);

        [DllImport(Library)]
        private static extern int crypto_core_hsalsa20(byte[] @out, byte[] @in, byte[] k, byte[]? c);

        [DllImport(Library)]
        private static extern int crypto_box_keypair(byte[] pk, byte[] sk);

        [DllImport(Library)]
        private static extern int crypto_box_seal_open(byte[] m, byte[] c, ulong clen, byte[] pk, byte[] sk);
    }
}
