using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.GitHub
{
    /// <summary>Our sealed boxes against Debian's libsodium, the library GitHub documents for secret encryption.</summary>
    public class SealedBoxTests
    {
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(63)]
        [InlineData(64)]
        [InlineData(1000)]
        [InlineData(48 * 1024)]
        public void LibsodiumOpensTheBox(int length)
        {
            var (publicKey, secretKey) = Libsodium.BoxKeyPair();
            var message = RandomNumberGenerator.GetBytes(length);

            var box = SealedBox.Seal(message, publicKey);

            Assert.Equal(length + SealedBox.Overhead, box.Length);
            Assert.Equal(message, Libsodium.SealOpen(box, publicKey, secretKey));
        }

        [Fact]
        public void LibsodiumOpensACanaryAndTheBoxDoesNotShowIt()
        {
            var (publicKey, secretKey) = Libsodium.BoxKeyPair();
            var canary = Encoding.UTF8.GetBytes("canary-Pa55w0rd-7d1e0c");

            var box = SealedBox.Seal(canary, publicKey);

            Assert.Equal("canary-Pa55w0rd-7d1e0c", Encoding.UTF8.GetString(Libsodium.SealOpen(box, publicKey, secretKey)!));
            Assert.DoesNotContain("canary", Encoding.Latin1.GetString(box));
        }

        [Fact]
        public void EveryBoxHasAFreshEphemeralKey()
        {
            var (publicKey, _) = Libsodium.BoxKeyPair();
            var message = Encoding.UTF8.GetBytes("same");
            Assert.NotEqual(SealedBox.Seal(message, publicKey), SealedBox.Seal(message, publicKey));
        }

        [Fact]
        public void ATamperedBoxOrAnotherKeyDoesNotOpen()
        {
            var (publicKey, secretKey) = Libsodium.BoxKeyPair();
            var (otherPublic, otherSecret) = Libsodium.BoxKeyPair();
            var box = SealedBox.Seal(Encoding.UTF8.GetBytes("value"), publicKey);

            var tampered = (byte[])box.Clone();
            tampered[^1] ^= 1;
            Assert.Null(Libsodium.SealOpen(tampered, publicKey, secretKey));
            Assert.Null(Libsodium.SealOpen(box, otherPublic, otherSecret));
        }

        [Fact]
        public void MatchesLibsodiumsCryptoBoxByteForByteForAGivenEphemeralKey()
        {
            var (publicKey, _) = Libsodium.BoxKeyPair();
            var ephemeralSecret = RandomNumberGenerator.GetBytes(32);
            var ephemeralPublic = Libsodium.ScalarMultBase(ephemeralSecret);
            var message = Encoding.UTF8.GetBytes("known answer");

            var box = SealedBox.Seal(message, publicKey, ephemeralSecret);

            var nonce = Libsodium.GenericHash(24, ephemeralPublic.Concat(publicKey).ToArray());
            var expected = ephemeralPublic.Concat(Libsodium.BoxEasy(message, nonce, publicKey, ephemeralSecret)).ToArray();
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(box));
        }

        [Fact]
        public void HSalsa20MatchesLibsodium()
        {
            for (var i = 0; i < 20; i++)
            {
                var key = RandomNumberGenerator.GetBytes(32);
                var input = RandomNumberGenerator.GetBytes(16);
                Assert.Equal(Libsodium.HSalsa20(key, input), SealedBox.HSalsa20(key, input));
            }
        }

        [Fact]
        public void RefusesAKeyThatIsNotThirtyTwoBytes()
        {
            var e = Assert.Throws<RegistryException>(() => SealedBox.Seal(new byte[1], new byte[31]));
            Assert.Equal("GitHubInvalidPublicKey", e.ErrorId);
        }
    }
}
