package dev.frontdesk.sms.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class TwimlTest {

    @Test
    void emptyIsExactlyTheContractsAnswer() {
        assertThat(Twiml.empty()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        assertThat(Twiml.CONTENT_TYPE).isEqualTo("text/xml");
    }

    @Test
    void messageWrapsTheBodyInAMessageElement() {
        assertThat(Twiml.message("Thanks, we will call you."))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>Thanks, we will call you.</Message></Response>");
    }

    @Test
    void messageEscapesMarkupAndKeepsTheTextIntact() throws Exception {
        String body = "Tom & Jerry <script>alert(1)</script> \"quoted\" ü 👍";
        String xml = Twiml.message(body);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("Response");
        assertThat(doc.getElementsByTagName("Message").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("Message").item(0).getTextContent()).isEqualTo(body);
        assertThat(xml).doesNotContain("<script>");
    }

    @Test
    void blankMessageIsRefused() {
        assertThatThrownBy(() -> Twiml.message(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
