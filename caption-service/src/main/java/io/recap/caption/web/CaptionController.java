package io.recap.caption.web;

import io.recap.caption.inference.CaptionRequestHandler;
import io.recap.core.domain.CaptionStyle;
import io.recap.service.web.InvalidFieldException;
import jakarta.validation.Valid;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.TimeoutException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code POST /caption}: an image in (multipart or JSON base64), captions by style out. */
@RestController
public class CaptionController {

    private final CaptionRequestHandler handler;

    public CaptionController(CaptionRequestHandler handler) {
        this.handler = handler;
    }

    @PostMapping(path = "/caption", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public CaptionResponse captionUpload(@RequestPart("image") MultipartFile image,
            @RequestParam(name = "style", required = false) String style,
            @RequestParam(name = "beamSize", required = false) Integer beamSize) throws IOException, TimeoutException {
        return caption(image.getBytes(), style, beamSize);
    }

    @PostMapping(path = "/caption", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public CaptionResponse captionJson(@Valid @RequestBody CaptionJsonRequest request) throws TimeoutException {
        byte[] bytes;
        try {
            // Strict alphabet: a lenient decoder would skip junk characters and hide a broken payload.
            bytes = Base64.getDecoder().decode(request.imageBase64().replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("imageBase64", "imageBase64 is not valid base64: " + e.getMessage());
        }
        return caption(bytes, request.style(), request.beamSize());
    }

    private CaptionResponse caption(byte[] bytes, String style, Integer beamSize) throws TimeoutException {
        CaptionRequestHandler.Captions captions = handler.caption(
                bytes, RequestedStyles.parse(style), beamSize == null ? 1 : beamSize);
        return new CaptionResponse(
                new CaptionResponse.Captions(captions.byStyle().get(CaptionStyle.SHORT), captions.byStyle().get(CaptionStyle.LONG)),
                new CaptionResponse.Model(captions.model().name(), captions.model().version()),
                captions.tookMs());
    }
}
