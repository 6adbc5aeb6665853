using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Ecr
{
    /// <summary>The swap through the isolated AWS SDK against the SigV4-verifying loopback ECR/STS.</summary>
    public sealed class EcrCredentialSwapTests : IAsyncLifetime
    {
        private const string Account = "123456789012";
        private const string KeyId = "AKIAIOSFODNN7EXAMPLE";
        private const string Secret = "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";
        private static readonly RegistryServer Registry = RegistryServer.Parse(Account + ".dkr.ecr.eu-west-1.amazonaws.com");

        private readonly string _cacheDir = Path.Combine(Path.GetTempPath(), "ecr-cache-" + Guid.NewGuid().ToString("N"));
        private readonly ManualClock _clock = ManualClock.AtSystemTime();
        private FakeAws _aws = null!;

        public async Task InitializeAsync()
        {
            _aws = await FakeAws.StartAsync("eu-west-1", _clock);
            _aws.AddUser(KeyId, Secret, Account, "ci-puller", "ecr:GetAuthorizationToken");
        }

        public async Task DisposeAsync()
        {
            await _aws.DisposeAsync();
            if (Directory.Exists(_cacheDir)) Directory.Delete(_cacheDir, recursive: true);
        }

        private EcrCredentialSwap Swap(TimeProvider? clock = null, bool cache = true) =>
            new EcrCredentialSwap(AwsSupport.LoadEcrApi, cache ? new EcrTokenCache(_cacheDir) : null, clock ?? _clock,
                new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_ECR"] = _aws.Url.ToString(), ["AWS_ENDPOINT_URL_STS"] = _aws.Url.ToString() });

        private static RegistryCredential Key(string secret = Secret, string id = KeyId) => new RegistryCredential(id, SecureStrings.ToSecureString(secret));

        [Fact]
        public async Task SwapsAnAccessKeyForTheTokenEcrIssued()
        {
            var login = await Swap(cache: false).SwapAsync(Registry, Key(), CancellationToken.None);

            Assert.Equal("AWS", login.Credential.UserName);
            Assert.Equal(_aws.IssuedPasswords.Single(), SecureStrings.Reveal(login.Credential.Password));
            Assert.Equal(EcrCredentialSource.Swapped, login.Source);
            Assert.InRange((login.ExpiresAt!.Value - (_clock.Now + TimeSpan.FromHours(12))).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }

        [Fact]
        public async Task ServesTheCachedTokenUntilHalfItsLifeThenFetchesAnother()
        {
            var swap = Swap();
            var first = await swap.SwapAsync(Registry, Key(), CancellationToken.None);
            _clock.Advance(TimeSpan.FromHours(5));
            var second = await swap.SwapAsync(Registry, Key(), CancellationToken.None);
            Assert.Equal(EcrCredentialSource.Cache, second.Source);
            Assert.Equal(SecureStrings.Reveal(first.Credential.Password), SecureStrings.Reveal(second.Credential.Password));
            Assert.Equal(1, _aws.TokenRequests);

            _clock.Advance(TimeSpan.FromHours(1.5));
            var third = await swap.SwapAsync(Registry, Key(), CancellationToken.None);
            Assert.Equal(EcrCredentialSource.Swapped, third.Source);
            Assert.Equal(2, _aws.TokenRequests);
        }

        [Fact]
        public async Task CacheFilesAreOwnerOnlyAndNamedByHashNotKey()
        {
            await Swap().SwapAsync(Registry, Key(), CancellationToken.None);
            var file = Directory.GetFiles(_cacheDir).Single();
            Assert.DoesNotContain(KeyId, file);
            Assert.DoesNotContain(Secret, File.ReadAllText(file));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_cacheDir));
            }
        }

        [Fact]
        public void CacheFileNamesAreTheSha256OfKeyRegionAndRegistry()
        {
            var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(KeyId + "\neu-west-1\n" + Registry.Host))).ToLowerInvariant();
            Assert.Equal(Path.Combine(_cacheDir, expected + ".json"), new EcrTokenCache(_cacheDir).PathFor(KeyId, "eu-west-1", Registry.Host));
        }

        [Theory]
        [InlineData("{not json")]
        [InlineData("{\"authorizationToken\":42}")]
        [InlineData("")]
        public async Task ABrokenCacheFileIsIgnoredAndReplaced(string content)
        {
            var cache = new EcrTokenCache(_cacheDir);
            Directory.CreateDirectory(_cacheDir);
            File.WriteAllText(cache.PathFor(KeyId, "eu-west-1", Registry.ConfigKey), content);

            var login = await Swap().SwapAsync(Registry, Key(), CancellationToken.None);

            Assert.Equal(EcrCredentialSource.Swapped, login.Source);
            Assert.NotNull(cache.TryGetFresh(KeyId, "eu-west-1", Registry.ConfigKey, _clock.Now));
        }

        [Fact]
        public async Task AWrongSecretIsReportedAsTheWrongSecretKeyWithoutRevealingIt()
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => Swap().SwapAsync(Registry, Key(Secret.Replace("CANARY", "WRONGS")), CancellationToken.None));
            Assert.Equal("AwsSecretKeyWrong", e.ErrorId);
            Assert.Equal(ErrorKind.Authentication, e.Kind);
            Assert.Contains("PASSWORD", e.Message);
            Assert.DoesNotContain("CANARY", e.ToString());
            Assert.DoesNotContain("WRONGS", e.ToString());
            Assert.Equal(0, _aws.TokenRequests);
        }

        [Fact]
        public async Task AnUnknownKeyIdIsReportedAsUnknown()
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => Swap().SwapAsync(Registry, Key(id: "AKIAUNKNOWNKEEXAMPLE"), CancellationToken.None));
            Assert.Equal("AwsAccessKeyUnknown", e.ErrorId);
            Assert.Contains("AKIAUNKNOWNKEEXAMPLE", e.Message);
        }

        [Fact]
        public async Task AKeyWithoutGetAuthorizationTokenNamesThePermission()
        {
            _aws.AddUser("AKIANOPERMISSEXAMPLE", Secret, Account, "nobody");
            var e = await Assert.ThrowsAsync<RegistryException>(() => Swap().SwapAsync(Registry, Key(id: "AKIANOPERMISSEXAMPLE"), CancellationToken.None));
            Assert.Equal("AwsPermissionDenied", e.ErrorId);
            Assert.Equal(ErrorKind.PermissionDenied, e.Kind);
            Assert.Contains("ecr:GetAuthorizationToken", e.Message);
            Assert.Contains("sts:GetServiceBearerToken", e.Message);
        }

        [Fact]
        public async Task EcrPublicNeedsBothPermissionsAndSignsForEcrPublicInUsEast1()
        {
            await using var east = await FakeAws.StartAsync("us-east-1", _clock);
            east.AddUser(KeyId, Secret, Account, "ci-puller", "ecr-public:GetAuthorizationToken");
            var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_ECR_PUBLIC"] = east.Url.ToString() };
            var swap = new EcrCredentialSwap(AwsSupport.LoadEcrApi, null, _clock, env);
            var publicRegistry = RegistryServer.Parse("public.ecr.aws");

            var e = await Assert.ThrowsAsync<RegistryException>(() => swap.SwapAsync(publicRegistry, Key(), CancellationToken.None));
            Assert.Equal("AwsPermissionDenied", e.ErrorId);
            Assert.Contains("sts:GetServiceBearerToken", e.Message);

            east.AddUser(KeyId, Secret, Account, "ci-puller", "ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken");
            var login = await swap.SwapAsync(publicRegistry, Key(), CancellationToken.None);
            Assert.Equal(east.IssuedPasswords.Single(), SecureStrings.Reveal(login.Credential.Password));
        }

        [Fact]
        public async Task ARegistryInAnotherRegionThanTheEndpointIsARegionMismatch()
        {
            var elsewhere = RegistryServer.Parse(Account + ".dkr.ecr.us-west-2.amazonaws.com");
            var e = await Assert.ThrowsAsync<RegistryException>(() => Swap().SwapAsync(elsewhere, Key(), CancellationToken.None));
            Assert.Equal("AwsRegionMismatch", e.ErrorId);
            Assert.Contains("us-west-2", e.Message);
        }

        [Fact]
        public async Task AClockTenMinutesSlowIsAClockSkew()
        {
            var slow = new ManualClock(_clock.Now - TimeSpan.FromMinutes(10));
            var e = await Assert.ThrowsAsync<RegistryException>(() => Swap(slow).SwapAsync(Registry, Key(), CancellationToken.None));
            Assert.Equal("AwsClockSkew", e.ErrorId);
            Assert.Contains("clock", e.Message);
        }

        [Fact]
        public async Task UnreachableEcrAndStsEndpointsAreConnectionErrors()
        {
            var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1/" };
            var swap = new EcrCredentialSwap(AwsSupport.LoadEcrApi, null, _clock, env);
            foreach (var call in new Func<Task>[] { () => swap.SwapAsync(Registry, Key(), CancellationToken.None), () => swap.GetCallerIdentityAsync(Registry, Key(), CancellationToken.None) })
            {
                var e = await Assert.ThrowsAsync<RegistryException>(call);
                Assert.Equal("AwsEndpointUnreachable", e.ErrorId);
                Assert.Equal(ErrorKind.Connection, e.Kind);
                Assert.DoesNotContain("CANARY", e.ToString());
            }
        }

        [Fact]
        public async Task TheCallerIdentityNamesAccountAndPrincipalAndAForeignAccountIsAFinding()
        {
            var identity = await Swap().GetCallerIdentityAsync(Registry, Key(), CancellationToken.None);
            Assert.Equal(Account, identity.Account);
            Assert.Equal($"arn:aws:iam::{Account}:user/ci-puller", identity.Arn);
            Assert.Null(EcrCredentialSwap.CheckAccount(Registry, identity));

            var foreign = RegistryServer.Parse("210987654321.dkr.ecr.eu-west-1.amazonaws.com");
            var finding = EcrCredentialSwap.CheckAccount(foreign, identity);
            Assert.Equal("EcrAccountMismatch", finding!.Id);
            Assert.Contains("210987654321", finding.Message);
        }

        [Fact]
        public async Task TheCallerIdentityWithAWrongSecretIsTheWrongSecretKey()
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => Swap().GetCallerIdentityAsync(Registry, Key("x" + Secret.Substring(1)), CancellationToken.None));
            Assert.Equal("AwsSecretKeyWrong", e.ErrorId);
        }

        [Fact]
        public async Task ASecretSetInEitherModeGivesTheLoginCredential()
        {
            var keySet = SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["ECR_CONTAINER_REGISTRY_SERVER"] = Registry.Host,
                ["ECR_CONTAINER_REGISTRY_USER"] = KeyId,
                ["ECR_CONTAINER_REGISTRY_PASSWORD"] = Secret,
            }, _clock.Now).Single();
            var swapped = await Swap().GetCredentialAsync(keySet, CancellationToken.None);
            Assert.Equal(EcrCredentialSource.Swapped, swapped.Source);

            var token = SecureStrings.Reveal(swapped.Credential.Password);
            var tokenSet = SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["ECR_CONTAINER_REGISTRY_SERVER"] = Registry.Host,
                ["ECR_CONTAINER_REGISTRY_USER"] = "AWS",
                ["ECR_CONTAINER_REGISTRY_PASSWORD"] = TokenWithExpiry(_clock.Now.AddHours(3)),
            }, _clock.Now).Single();
            var given = await Swap().GetCredentialAsync(tokenSet, CancellationToken.None);
            Assert.Equal(EcrCredentialSource.SecretSet, given.Source);
            Assert.Equal(_clock.Now.AddHours(3).ToUnixTimeSeconds(), given.ExpiresAt!.Value.ToUnixTimeSeconds());
            Assert.Equal(1, _aws.TokenRequests);
            Assert.NotEmpty(token);
        }

        [Fact]
        public void AnExpiredModeTwoTokenIsRefusedOffline()
        {
            var token = new RegistryCredential("AWS", SecureStrings.ToSecureString(TokenWithExpiry(_clock.Now.AddMinutes(-1))));
            var e = Assert.Throws<RegistryException>(() => EcrCredentialSwap.FromToken(Registry, token, _clock.Now));
            Assert.Equal("EcrTokenExpired", e.ErrorId);
        }

        [Fact]
        public void TheSdkIsLoadedInItsOwnContextAndNotInTheDefaultOne()
        {
            var api = AwsSupport.LoadEcrApi();
            var context = AssemblyLoadContext.GetLoadContext(api.GetType().Assembly)!;
            Assert.Equal("CodespaceRegistry.Aws", context.Name);
            Assert.Contains(context.Assemblies, a => a.GetName().Name == "AWSSDK.Core");
            Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "AWSSDK.Core");
            // Core is shared, so the interface is the same type on both sides.
            Assert.Same(typeof(IEcrApi).Assembly, api.GetType().GetInterfaces().Single(i => i.Name == nameof(IEcrApi)).Assembly);
        }

        /// <summary>A mode-2 token as ECR shapes it: base64 of JSON whose expiration is epoch seconds.</summary>
        internal static string TokenWithExpiry(DateTimeOffset expiresAt) =>
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
                $"{{\"payload\":\"opaque\",\"datakey\":\"opaque\",\"version\":\"2\",\"type\":\"DATA_KEY\",\"expiration\":{expiresAt.ToUnixTimeSeconds()}}}"));
    }
}
