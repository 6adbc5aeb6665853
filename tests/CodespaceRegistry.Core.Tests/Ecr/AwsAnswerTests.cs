using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CodespaceRegistry.Tests.Ecr
{
    /// <summary>
    /// Answers no real AWS endpoint gives, from a loopback server in AWS's place (AWS_ENDPOINT_URL_*): each is one
    /// input's classified error, never a raw .NET exception, never a flood of memory, and never carries the secret key.
    /// </summary>
    public sealed class AwsAnswerTests
    {
        private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYCANARY0002";
        private static readonly RegistryServer Registry = RegistryServer.Parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        private static RegistryCredential Key => new RegistryCredential("AKIAIOSFODNN7EXAMPLE", SecureStrings.ToSecureString(Secret));

        private static EcrCredentialSwap SwapAgainst(LoopbackServer aws) =>
            new EcrCredentialSwap(AwsSupport.LoadEcrApi, null, TimeProvider.System,
                new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_ECR"] = aws.BaseUri.ToString(), ["AWS_ENDPOINT_URL_STS"] = aws.BaseUri.ToString() });

        private static Task<LoopbackServer> Answering(int status, string contentType, string body) =>
            LoopbackServer.StartAsync(context =>
            {
                context.Response.StatusCode = status;
                context.Response.ContentType = contentType;
                return context.Response.WriteAsync(body);
            });

        [Theory]
        [InlineData("1e300")]
        [InlineData("-1e300")]
        [InlineData("-1")]
        public async Task AnExpiresAtThatIsNoTimeIsAMalformedAnswer(string expiresAt)
        {
            var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("AWS:opaque"));
            await using var aws = await Answering(200, "application/x-amz-json-1.1", $"{{\"authorizationData\":[{{\"authorizationToken\":\"{token}\",\"expiresAt\":{expiresAt}}}]}}");

            var e = await Assert.ThrowsAsync<RegistryException>(() => SwapAgainst(aws).SwapAsync(Registry, Key, CancellationToken.None));

            Assert.Equal("AwsResponseMalformed", e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
            Assert.IsType<AwsApiException>(e.InnerException);
            Assert.DoesNotContain(Secret, e.ToString());
        }

        [Theory]
        [InlineData(200, "{\"Account\":\"123456789012\"}")]
        [InlineData(200, "not xml at all")]
        [InlineData(403, "[]")]
        public async Task AnStsAnswerThatIsNotXmlIsAMalformedAnswer(int status, string body)
        {
            await using var aws = await Answering(status, "application/json", body);

            var e = await Assert.ThrowsAsync<RegistryException>(() => SwapAgainst(aws).GetCallerIdentityAsync(Registry, Key, CancellationToken.None));

            Assert.Equal("AwsResponseMalformed", e.ErrorId);
            Assert.DoesNotContain(Secret, e.ToString());
        }

        [Fact]
        public async Task AnEcrErrorThatIsNotAJsonObjectIsStillClassified()
        {
            await using var aws = await Answering(400, "application/x-amz-json-1.1", "[\"x\"]");

            var e = await Assert.ThrowsAsync<RegistryException>(() => SwapAgainst(aws).SwapAsync(Registry, Key, CancellationToken.None));

            Assert.Equal("AwsRequestFailed", e.ErrorId);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task AnAnswerLargerThanTheCapIsNotRead(bool ecr)
        {
            var chunk = new string('x', 64 * 1024);
            await using var aws = await LoopbackServer.StartAsync(async context =>
            {
                // 8 MB without Content-Length; the client must stop reading after the cap.
                for (var i = 0; i < 128 && !context.RequestAborted.IsCancellationRequested; i++) await context.Response.WriteAsync(chunk, context.RequestAborted);
            });
            var swap = SwapAgainst(aws);

            var e = await Assert.ThrowsAsync<RegistryException>(() => ecr
                ? swap.SwapAsync(Registry, Key, CancellationToken.None)
                : swap.GetCallerIdentityAsync(Registry, Key, CancellationToken.None));

            Assert.Equal("AwsResponseTooLarge", e.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, e.Kind);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task ACallHasADeadlineThatCoversTheWholeAnswer(bool ecr)
        {
            // Headers at once, then a body that never ends: only a deadline over the whole call stops it.
            await using var aws = await LoopbackServer.StartAsync(async context =>
            {
                await context.Response.WriteAsync("{", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
            });
            var swap = SwapAgainst(aws);
            swap.CallTimeout = TimeSpan.FromMilliseconds(300);

            var e = await Assert.ThrowsAsync<RegistryException>(() => ecr
                ? swap.SwapAsync(Registry, Key, CancellationToken.None)
                : swap.GetCallerIdentityAsync(Registry, Key, CancellationToken.None));

            Assert.Equal("AwsEndpointTimeout", e.ErrorId);
            Assert.Equal(ErrorKind.Timeout, e.Kind);
            Assert.NotNull(e.InnerException);
        }

        [Theory]
        [InlineData(1e300, false)]
        [InlineData(-1e300, false)]
        [InlineData(double.NaN, false)]
        [InlineData(double.PositiveInfinity, false)]
        [InlineData(1795354972.489, true)]
        public void EpochSecondsOutsideTheCalendarAreNoTime(double seconds, bool isTime)
        {
            Assert.Equal(isTime, EcrAuthorizationToken.TryFromEpochSeconds(seconds, out _));
            var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
                "{\"expiration\":" + seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace("NaN", "1e999").Replace("∞", "1e999").Replace("Infinity", "1e999") + "}"));
            Assert.Equal(isTime, EcrAuthorizationToken.TryReadExpiry(token, out _));
        }
    }
}
