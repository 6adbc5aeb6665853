using System;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace CodespaceRegistry.GitHub
{
    /// <summary>
    /// libsodium's <c>crypto_box_seal</c>, the encryption GitHub requires for secret values: an anonymous sender
    /// encrypts to the level's X25519 public key and only GitHub, holding the secret key, can open the box.
    /// Composed from Bouncy Castle: X25519 agreement, HSalsa20 key derivation, XSalsa20-Poly1305 and a BLAKE2b-192
    /// nonce of <c>ephemeral_pk || recipient_pk</c>. Output: <c>ephemeral_pk (32) || tag (16) || ciphertext</c>.
    /// </summary>
    public static class SealedBox
    {
        public const int KeyBytes = 32;
        public const int TagBytes = 16;

        /// <summary>Bytes a sealed box adds to its message.</summary>
        public const int Overhead = KeyBytes + TagBytes;

        private const int NonceBytes = 24;
        private static readonly SecureRandom Random = new SecureRandom();

        /// <summary>Seals <paramref name="message"/> to <paramref name="recipientPublicKey"/> with a fresh ephemeral key.</summary>
        public static byte[] Seal(byte[] message, byte[] recipientPublicKey)
        {
            var ephemeral = new X25519PrivateKeyParameters(Random);
            return Seal(message, recipientPublicKey, ephemeral.GetEncoded());
        }

        /// <summary>Seals with a given ephemeral secret key: deterministic, for known-answer tests only.</summary>
        internal static byte[] Seal(byte[] message, byte[] recipientPublicKey, byte[] ephemeralSecretKey)
        {
            if (message == null) throw new ArgumentNullException(nameof(message));
            if (recipientPublicKey == null || recipientPublicKey.Length != KeyBytes)
            {
                throw new RegistryException(GitHubErrorIds.InvalidPublicKey, ErrorKind.InvalidData,
                    "GitHub's public key for secrets is not a 32-byte X25519 key, so the value cannot be encrypted. Check GITHUB_API_URL.");
            }
            var ephemeral = new X25519PrivateKeyParameters(ephemeralSecretKey, 0);
            var ephemeralPublicKey = ephemeral.GeneratePublicKey().GetEncoded();

            var shared = new byte[KeyBytes];
            var agreement = new X25519Agreement();
            agreement.Init(ephemeral);
            agreement.CalculateAgreement(new X25519PublicKeyParameters(recipientPublicKey, 0), shared, 0);
            var key = HSalsa20(shared, new byte[16]);
            Array.Clear(shared, 0, shared.Length);

            var box = new byte[Overhead + message.Length];
            Buffer.BlockCopy(ephemeralPublicKey, 0, box, 0, KeyBytes);
            SecretBox(message, Nonce(ephemeralPublicKey, recipientPublicKey), key, box, KeyBytes);
            Array.Clear(key, 0, key.Length);
            return box;
        }

        /// <summary><c>crypto_secretbox_xsalsa20poly1305</c>: writes tag || ciphertext at <paramref name="offset"/>.</summary>
        private static void SecretBox(byte[] message, byte[] nonce, byte[] key, byte[] output, int offset)
        {
            var cipher = new XSalsa20Engine();
            cipher.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            // The first 32 bytes of the key stream are the one-time Poly1305 key; the message uses the rest.
            var macKey = new byte[32];
            cipher.ProcessBytes(macKey, 0, macKey.Length, macKey, 0);
            cipher.ProcessBytes(message, 0, message.Length, output, offset + TagBytes);

            var mac = new Poly1305();
            mac.Init(new KeyParameter(macKey));
            mac.BlockUpdate(output, offset + TagBytes, message.Length);
            mac.DoFinal(output, offset);
            Array.Clear(macKey, 0, macKey.Length);
        }

        /// <summary>The sealed-box nonce: BLAKE2b with a 24-byte output over ephemeral_pk || recipient_pk.</summary>
        private static byte[] Nonce(byte[] ephemeralPublicKey, byte[] recipientPublicKey)
        {
            var digest = new Blake2bDigest(NonceBytes * 8);
            digest.BlockUpdate(ephemeralPublicKey, 0, ephemeralPublicKey.Length);
            digest.BlockUpdate(recipientPublicKey, 0, recipientPublicKey.Length);
            var nonce = new byte[NonceBytes];
            digest.DoFinal(nonce, 0);
            return nonce;
        }

        /// <summary>
        /// <c>crypto_core_hsalsa20</c>: the Salsa20 core (20 rounds) over the key and a 16-byte input, without the
        /// final addition, keeping words 0, 5, 10, 15, 6, 7, 8, 9. crypto_box derives its key with it from the X25519
        /// shared secret (Bouncy Castle keeps its own copy internal to XSalsa20Engine).
        /// </summary>
        internal static byte[] HSalsa20(byte[] key, byte[] input)
        {
            var x = new uint[16];
            x[0] = 0x61707865; x[5] = 0x3320646e; x[10] = 0x79622d32; x[15] = 0x6b206574;
            for (var i = 0; i < 4; i++)
            {
                x[1 + i] = LittleEndian(key, 4 * i);
                x[11 + i] = LittleEndian(key, 16 + 4 * i);
                x[6 + i] = LittleEndian(input, 4 * i);
            }
            for (var round = 0; round < 20; round += 2)
            {
                QuarterRound(x, 0, 4, 8, 12); QuarterRound(x, 5, 9, 13, 1); QuarterRound(x, 10, 14, 2, 6); QuarterRound(x, 15, 3, 7, 11);
                QuarterRound(x, 0, 1, 2, 3); QuarterRound(x, 5, 6, 7, 4); QuarterRound(x, 10, 11, 8, 9); QuarterRound(x, 15, 12, 13, 14);
            }
            var output = new byte[32];
            var words = new[] { x[0], x[5], x[10], x[15], x[6], x[7], x[8], x[9] };
            for (var i = 0; i < 8; i++)
            {
                output[4 * i] = (byte)words[i];
                output[4 * i + 1] = (byte)(words[i] >> 8);
                output[4 * i + 2] = (byte)(words[i] >> 16);
                output[4 * i + 3] = (byte)(words[i] >> 24);
            }
            Array.Clear(x, 0, x.Length);
            return output;
        }

        private static void QuarterRound(uint[] x, int a, int b, int c, int d)
        {
            x[b] ^= Rotate(x[a] + x[d], 7);
            x[c] ^= Rotate(x[b] + x[a], 9);
            x[d] ^= Rotate(x[c] + x[b], 13);
            x[a] ^= Rotate(x[d] + x[c], 18);
        }

        private static uint Rotate(uint v, int n) => (v << n) | (v >> (32 - n));

        private static uint LittleEndian(byte[] b, int i) => (uint)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24);
    }
}
