using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CodespaceRegistry.Tests.Fixtures;
using Xunit;

namespace CodespaceRegistry.Tests.Ecr
{
    /// <summary>The fake's verifier against AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite, .sreq files).</summary>
    public class SigV4VerifierTests
    {
        private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        private static readonly DateTimeOffset SuiteTime = new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

        // Signed requests copied from the suite: request line, headers, blank line, body.
        public static IEnumerable<object[]> Vectors => new[]
        {
            new object[] { "post-vanilla", "POST / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
            new object[] { "post-x-www-form-urlencoded", "POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a\n\nParam1=value1" },
            new object[] { "get-vanilla-query-order-key", "GET /?Param1=value2&Param1=Value1 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1" },
            new object[] { "get-header-value-trim", "GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: \"a   b   c\"\nX-Amz-Date:20150830T123600Z\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        };

        [Theory]
        [MemberData(nameof(Vectors))]
        public void AcceptsTheSuitesSignedRequests(string name, string sreq)
        {
            var result = SigV4Verifier.Verify(Parse(sreq), _ => Secret, "service", "us-east-1", SuiteTime);
            Assert.True(result.IsValid, name + ": " + result.Message);
        }

        [Theory]
        [MemberData(nameof(Vectors))]
        public void RejectsTheSuitesRequestsWithAnotherSecret(string name, string sreq)
        {
            var result = SigV4Verifier.Verify(Parse(sreq), _ => Secret.Replace('w', 'W'), "service", "us-east-1", SuiteTime);
            Assert.Equal(SigV4Failure.Mismatch, result.Failure);
            Assert.NotNull(name);
        }

        [Fact]
        public void BuildsTheSuitesCanonicalRequest()
        {
            // post-x-www-form-urlencoded.creq
            var request = Parse((string)Vectors.ElementAt(1)[1]);
            Assert.Equal(
                "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
                "content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
                SigV4Verifier.CanonicalRequest(request, "content-type;host;x-amz-date"));
        }

        [Fact]
        public void RejectsAWrongRegionAStaleDateAndAnUnknownKey()
        {
            var request = Parse((string)Vectors.First()[1]);
            Assert.Equal(SigV4Failure.WrongRegion, SigV4Verifier.Verify(request, _ => Secret, "service", "eu-west-1", SuiteTime).Failure);
            Assert.Equal(SigV4Failure.WrongService, SigV4Verifier.Verify(request, _ => Secret, "ecr", "us-east-1", SuiteTime).Failure);
            Assert.Equal(SigV4Failure.Expired, SigV4Verifier.Verify(request, _ => Secret, "service", "us-east-1", SuiteTime.AddMinutes(6)).Failure);
            Assert.Equal(SigV4Failure.Expired, SigV4Verifier.Verify(request, _ => Secret, "service", "us-east-1", SuiteTime.AddMinutes(-6)).Failure);
            Assert.True(SigV4Verifier.Verify(request, _ => Secret, "service", "us-east-1", SuiteTime.AddMinutes(4)).IsValid);
            Assert.Equal(SigV4Failure.UnknownAccessKey, SigV4Verifier.Verify(request, _ => null, "service", "us-east-1", SuiteTime).Failure);
        }

        private static SigV4Request Parse(string sreq)
        {
            var blank = sreq.IndexOf("\n\n", StringComparison.Ordinal);
            var head = blank < 0 ? sreq : sreq.Substring(0, blank);
            var body = blank < 0 ? "" : sreq.Substring(blank + 2);
            var lines = head.Split('\n');
            var requestLine = lines[0].Split(' ');
            var target = requestLine[1];
            var q = target.IndexOf('?');
            var headers = lines.Skip(1).Select(l => new KeyValuePair<string, string>(l.Substring(0, l.IndexOf(':')), l.Substring(l.IndexOf(':') + 1))).ToList();
            return new SigV4Request(requestLine[0], q < 0 ? target : target.Substring(0, q), q < 0 ? "" : target.Substring(q), headers, Encoding.UTF8.GetBytes(body));
        }
    }
}
