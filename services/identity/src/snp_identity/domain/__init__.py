"""snp_identity.domain"""
