package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvTest {

    @Test
    void readsAssignmentsCommentsAndBlankLines() {
        Map<String, String> vars = DotEnv.parse("""
                # Twilio
                TWILIO_ACCOUNT_SID=AC123

                TWILIO_PHONE_NUMBER = +15551234567
                  PORT=3002
                not an assignment
                =no key
                """);
        assertThat(vars).containsExactly(
                Map.entry("TWILIO_ACCOUNT_SID", "AC123"),
                Map.entry("TWILIO_PHONE_NUMBER", "+15551234567"),
                Map.entry("PORT", "3002"));
    }

    @Test
    void unquotedValuesLoseTrailingCommentsButKeepHashesInside() {
        Map<String, String> vars = DotEnv.parse("A=value # a comment\nB=abc#def\nC=\n");
        assertThat(vars).containsEntry("A", "value").containsEntry("B", "abc#def").containsEntry("C", "");
    }

    @Test
    void doubleQuotesKeepSpacesAndHashesAndUnderstandEscapes() {
        Map<String, String> vars = DotEnv.parse("""
                BUSINESS_NAME="Joe's Plumbing # 1"   # trailing comment
                BUSINESS_PROFILE="Line one\\nLine \\"two\\""
                """);
        assertThat(vars).containsEntry("BUSINESS_NAME", "Joe's Plumbing # 1")
                .containsEntry("BUSINESS_PROFILE", "Line one\nLine \"two\"");
    }

    @Test
    void singleQuotesAreLiteral() {
        assertThat(DotEnv.parse("X='a \\n $b # c'")).containsEntry("X", "a \\n $b # c");
    }

    @Test
    void exportPrefixAndWindowsLineEndingsAreAccepted() {
        assertThat(DotEnv.parse("export A=1\r\nB=2\r\n")).containsEntry("A", "1").containsEntry("B", "2");
    }

    @Test
    void aLaterLineWinsOverAnEarlierOne() {
        assertThat(DotEnv.parse("A=1\nA=2")).containsEntry("A", "2");
    }

    @Test
    void theRealEnvironmentWinsOverTheFile() {
        Map<String, String> merged = DotEnv.merge(Map.of("PORT", "3002", "BUSINESS_NAME", "File"), Map.of("PORT", "4000"));
        assertThat(merged).containsEntry("PORT", "4000").containsEntry("BUSINESS_NAME", "File");
    }

    @Test
    void aMissingFileDefinesNothing(@TempDir Path dir) {
        assertThat(DotEnv.load(dir.resolve(".env"))).isEmpty();
    }

    @Test
    void loadsAFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".env"), "OPENAI_MODEL=gpt-4o\n");
        assertThat(DotEnv.load(dir.resolve(".env"))).containsEntry("OPENAI_MODEL", "gpt-4o");
    }
}
